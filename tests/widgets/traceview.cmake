# The trace view: span tree + waterfall (tst_traceview), and a paint/setTrace benchmark that is not a
# test (bench_traceview [spans...], prints its figures).
spanscope_add_test(tst_traceview
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_traceview.cpp ${CMAKE_CURRENT_LIST_DIR}/traceviewfixture.h
    LIBS spanscope_widgets LABEL widgets)
add_executable(bench_traceview ${CMAKE_CURRENT_LIST_DIR}/bench_traceview.cpp ${CMAKE_CURRENT_LIST_DIR}/traceviewfixture.h)
target_link_libraries(bench_traceview PRIVATE spanscope_widgets)
target_compile_options(bench_traceview PRIVATE -UQT_NO_CAST_FROM_ASCII)
