# Trace comparison: the aligned rows of two traces as an item model (models/compare does the work).
target_sources(spanscope_items PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/comparemodel.h ${CMAKE_CURRENT_LIST_DIR}/comparemodel.cpp)
target_link_libraries(spanscope_items PUBLIC spanscope_compare)
