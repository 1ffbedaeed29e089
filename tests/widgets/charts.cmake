# Dashboard charts: a small workspace whose every bar is known (tst_dashboard), and a tool that is
# not a test: `dashboard_shots OUT_DIR [traces]` renders the dashboard, each chart and the price
# dialog in the light and dark palettes as PNGs (to look at) on a deterministic demo workspace.
spanscope_add_test(tst_dashboard
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_dashboard.cpp ${CMAKE_CURRENT_LIST_DIR}/dashboardfixture.h
    LIBS spanscope_widgets LABEL widgets)
add_executable(dashboard_shots ${CMAKE_CURRENT_LIST_DIR}/dashboard_shots.cpp ${CMAKE_CURRENT_LIST_DIR}/dashboardfixture.h)
target_link_libraries(dashboard_shots PRIVATE spanscope_widgets Qt6::Test)
target_compile_options(dashboard_shots PRIVATE -UQT_NO_CAST_FROM_ASCII)
# Settings > Prices…: search, add, edit, LiteLLM / genai-prices imports, save and recompute.
spanscope_add_test(tst_pricetabledialog SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_pricetabledialog.cpp
    LIBS spanscope_widgets LABEL widgets)
# Not a test: `bench_dashboard WORKSPACE` times the dashboard's refresh after filter changes, end to
# end (tests/store/bench_stats builds a 1M-span workspace).
add_executable(bench_dashboard ${CMAKE_CURRENT_LIST_DIR}/bench_dashboard.cpp)
target_link_libraries(bench_dashboard PRIVATE spanscope_widgets)
target_compile_options(bench_dashboard PRIVATE -UQT_NO_CAST_FROM_ASCII)
