# The compare view (two traces side by side): selection, diff pane, time scale, and PNG snapshots in
# a light and a dark palette (compare-light.png, compare-dark.png in $SPANSCOPE_SNAPSHOT_DIR or the
# system temp dir) for people to look at.
spanscope_add_test(tst_compareview
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_compareview.cpp ${CMAKE_CURRENT_LIST_DIR}/comparefixture.h
    LIBS spanscope_widgets LABEL widgets)
