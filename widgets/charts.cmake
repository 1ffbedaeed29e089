# Dashboard charts (QCustomPlot), the price table editor and the trace view's cost breakdown.
target_sources(spanscope_widgets PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/chartstyle.h ${CMAKE_CURRENT_LIST_DIR}/chartstyle.cpp
    ${CMAKE_CURRENT_LIST_DIR}/chartpanel.h ${CMAKE_CURRENT_LIST_DIR}/chartpanel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/dashboardcharts.h ${CMAKE_CURRENT_LIST_DIR}/dashboardcharts.cpp
    ${CMAKE_CURRENT_LIST_DIR}/dashboardview.h ${CMAKE_CURRENT_LIST_DIR}/dashboardview.cpp
    ${CMAKE_CURRENT_LIST_DIR}/dashboarddrillbar.h ${CMAKE_CURRENT_LIST_DIR}/dashboarddrillbar.cpp)
target_link_libraries(spanscope_widgets PUBLIC QCustomPlotQt6::QCustomPlotQt6)
target_sources(spanscope_widgets PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/costbreakdownbar.h ${CMAKE_CURRENT_LIST_DIR}/costbreakdownbar.cpp
    ${CMAKE_CURRENT_LIST_DIR}/pricetableoverrides.h ${CMAKE_CURRENT_LIST_DIR}/pricetableoverrides.cpp
    ${CMAKE_CURRENT_LIST_DIR}/pricetablemodel.h ${CMAKE_CURRENT_LIST_DIR}/pricetablemodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/pricetabledialog.h ${CMAKE_CURRENT_LIST_DIR}/pricetabledialog.cpp
    ${CMAKE_CURRENT_LIST_DIR}/pricetablejob.h ${CMAKE_CURRENT_LIST_DIR}/pricetablejob.cpp)
# The price editor and "Recompute costs" read and apply the price table.
target_link_libraries(spanscope_widgets PUBLIC spanscope_pricing)
