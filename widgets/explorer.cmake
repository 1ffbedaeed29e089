target_sources(spanscope_widgets PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/tracefilterbar.h ${CMAKE_CURRENT_LIST_DIR}/tracefilterbar.cpp)
