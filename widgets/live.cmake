# Live ingest: status-bar widget and the gateway connection dialog (plain values in, no models/live).
target_sources(spanscope_widgets PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/livestatuswidget.h ${CMAKE_CURRENT_LIST_DIR}/livestatuswidget.cpp
    ${CMAKE_CURRENT_LIST_DIR}/gatewaydialog.h ${CMAKE_CURRENT_LIST_DIR}/gatewaydialog.cpp)
