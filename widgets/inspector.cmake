# Span inspector: the explorer's right-hand pane and the views it is made of.
target_sources(spanscope_widgets PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/inspectorutils.h ${CMAKE_CURRENT_LIST_DIR}/inspectorutils.cpp
    ${CMAKE_CURRENT_LIST_DIR}/safetextbrowser.h ${CMAKE_CURRENT_LIST_DIR}/safetextbrowser.cpp
    ${CMAKE_CURRENT_LIST_DIR}/copyabletreeview.h ${CMAKE_CURRENT_LIST_DIR}/copyabletreeview.cpp
    ${CMAKE_CURRENT_LIST_DIR}/jsontreeview.h ${CMAKE_CURRENT_LIST_DIR}/jsontreeview.cpp
    ${CMAKE_CURRENT_LIST_DIR}/payloadview.h ${CMAKE_CURRENT_LIST_DIR}/payloadview.cpp
    ${CMAKE_CURRENT_LIST_DIR}/messageview.h ${CMAKE_CURRENT_LIST_DIR}/messageview.cpp
    ${CMAKE_CURRENT_LIST_DIR}/spandetailviews.h ${CMAKE_CURRENT_LIST_DIR}/spandetailviews.cpp
    ${CMAKE_CURRENT_LIST_DIR}/spaninspector.h ${CMAKE_CURRENT_LIST_DIR}/spaninspector.cpp)
