# The trace view: span tree + waterfall timeline, header, in-trace search, image export.
target_sources(spanscope_widgets PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/traceview.h ${CMAKE_CURRENT_LIST_DIR}/traceview.cpp
    ${CMAKE_CURRENT_LIST_DIR}/spantreeview.h ${CMAKE_CURRENT_LIST_DIR}/spantreeview.cpp
    ${CMAKE_CURRENT_LIST_DIR}/waterfallview.h ${CMAKE_CURRENT_LIST_DIR}/waterfallview.cpp
    ${CMAKE_CURRENT_LIST_DIR}/waterfallpainter.h ${CMAKE_CURRENT_LIST_DIR}/waterfallpainter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/timeruler.h ${CMAKE_CURRENT_LIST_DIR}/timeruler.cpp
    ${CMAKE_CURRENT_LIST_DIR}/traceoverview.h ${CMAKE_CURRENT_LIST_DIR}/traceoverview.cpp
    ${CMAKE_CURRENT_LIST_DIR}/traceheader.h ${CMAKE_CURRENT_LIST_DIR}/traceheader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tracesearchbar.h ${CMAKE_CURRENT_LIST_DIR}/tracesearchbar.cpp
    ${CMAKE_CURRENT_LIST_DIR}/kindlegend.h ${CMAKE_CURRENT_LIST_DIR}/kindlegend.cpp
    ${CMAKE_CURRENT_LIST_DIR}/lineicons.h ${CMAKE_CURRENT_LIST_DIR}/lineicons.cpp
    ${CMAKE_CURRENT_LIST_DIR}/traceimage.h ${CMAKE_CURRENT_LIST_DIR}/traceimage.cpp)
# The header's breakdown of big traces is computed off the GUI thread.
target_link_libraries(spanscope_widgets PRIVATE Qt6::Concurrent)
