# Span inspector widgets. See tests/items/inspector.cmake for SPANSCOPE_INSPECTOR_STANDALONE.
if(SPANSCOPE_INSPECTOR_STANDALONE AND NOT TARGET spanscope_inspector_widgets)
    set(_w ${PROJECT_SOURCE_DIR}/widgets)
    add_library(spanscope_inspector_widgets STATIC
        ${_w}/inspectorutils.cpp ${_w}/safetextbrowser.cpp ${_w}/copyabletreeview.cpp ${_w}/jsontreeview.cpp
        ${_w}/payloadview.cpp ${_w}/messageview.cpp ${_w}/spandetailviews.cpp ${_w}/spaninspector.cpp
        ${_w}/safetextbrowser.h ${_w}/copyabletreeview.h ${_w}/jsontreeview.h ${_w}/payloadview.h
        ${_w}/messageview.h ${_w}/spandetailviews.h ${_w}/spaninspector.h)
    target_include_directories(spanscope_inspector_widgets PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/models)
    target_link_libraries(spanscope_inspector_widgets PUBLIC spanscope_inspector_models Qt6::Widgets)
endif()
if(SPANSCOPE_INSPECTOR_STANDALONE)
    set(_inspector_widget_libs spanscope_inspector_widgets)
else()
    set(_inspector_widget_libs spanscope_widgets)
endif()

spanscope_add_test(tst_spaninspector SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_spaninspector.cpp
    ${CMAKE_CURRENT_LIST_DIR}/inspectorfixtures.h LIBS ${_inspector_widget_libs} LABEL widgets)
spanscope_add_test(tst_payloadview SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_payloadview.cpp
    LIBS ${_inspector_widget_libs} LABEL widgets)
# Renders the inspector with a rich span in a light and a dark palette to PNGs
# (SPANSCOPE_SNAPSHOT_DIR, default the system temp dir) for looking at; asserts only that it renders.
spanscope_add_test(tst_inspectorsnapshots SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_inspectorsnapshots.cpp
    ${CMAKE_CURRENT_LIST_DIR}/inspectorfixtures.h LIBS ${_inspector_widget_libs} LABEL widgets)
