# Span inspector models: JSON payload tree and attribute tables.
target_sources(spanscope_items PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/jsontreemodel.h ${CMAKE_CURRENT_LIST_DIR}/jsontreemodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/attributesmodel.h ${CMAKE_CURRENT_LIST_DIR}/attributesmodel.cpp)
