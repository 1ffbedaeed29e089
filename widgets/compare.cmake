# Compare view: two traces side by side, span by span, with the content diff of a selected pair.
target_sources(spanscope_widgets PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/compareview.h ${CMAKE_CURRENT_LIST_DIR}/compareview.cpp
    ${CMAKE_CURRENT_LIST_DIR}/comparesummarybar.h ${CMAKE_CURRENT_LIST_DIR}/comparesummarybar.cpp
    ${CMAKE_CURRENT_LIST_DIR}/comparerowdelegate.h ${CMAKE_CURRENT_LIST_DIR}/comparerowdelegate.cpp
    ${CMAKE_CURRENT_LIST_DIR}/comparediffpane.h ${CMAKE_CURRENT_LIST_DIR}/comparediffpane.cpp)
