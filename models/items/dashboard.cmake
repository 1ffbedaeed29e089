# Dashboard: the WorkspaceStats report for the trace list's filters, asked for on the reader thread.
target_sources(spanscope_items PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/dashboardmodel.h ${CMAKE_CURRENT_LIST_DIR}/dashboardmodel.cpp)
