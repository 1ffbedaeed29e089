# Span inspector models.
# SPANSCOPE_INSPECTOR_STANDALONE builds the inspector's tests against a private library of just its
# own sources (plus kindpalette) for as long as other parts of spanscope_items/spanscope_widgets
# are being written and do not compile; the real build links the layer libraries.
option(SPANSCOPE_INSPECTOR_STANDALONE "Build the inspector tests without the rest of items/widgets" OFF)
if(SPANSCOPE_INSPECTOR_STANDALONE AND NOT TARGET spanscope_inspector_models)
    add_library(spanscope_inspector_models STATIC
        ${PROJECT_SOURCE_DIR}/models/items/kindpalette.cpp
        ${PROJECT_SOURCE_DIR}/models/items/jsontreemodel.h ${PROJECT_SOURCE_DIR}/models/items/jsontreemodel.cpp
        ${PROJECT_SOURCE_DIR}/models/items/attributesmodel.h ${PROJECT_SOURCE_DIR}/models/items/attributesmodel.cpp)
    target_include_directories(spanscope_inspector_models PUBLIC ${PROJECT_SOURCE_DIR}/models)
    target_link_libraries(spanscope_inspector_models PUBLIC spanscope_trace spanscope_layout Qt6::Gui)
endif()
if(SPANSCOPE_INSPECTOR_STANDALONE)
    set(_inspector_model_libs spanscope_inspector_models)
else()
    set(_inspector_model_libs spanscope_items)
endif()

spanscope_add_test(tst_jsontreemodel SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_jsontreemodel.cpp
    LIBS ${_inspector_model_libs} LABEL models)
spanscope_add_test(tst_attributesmodel SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_attributesmodel.cpp
    LIBS ${_inspector_model_libs} LABEL models)
