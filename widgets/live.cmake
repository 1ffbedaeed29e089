# Live ingest: status-bar widget, the gateway connection and receiver settings dialogs (plain values in, no models/live).
target_sources(spanscope_widgets PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/livestatuswidget.h ${CMAKE_CURRENT_LIST_DIR}/livestatuswidget.cpp
    ${CMAKE_CURRENT_LIST_DIR}/gatewaydialog.h ${CMAKE_CURRENT_LIST_DIR}/gatewaydialog.cpp
    ${CMAKE_CURRENT_LIST_DIR}/receiverdialog.h ${CMAKE_CURRENT_LIST_DIR}/receiverdialog.cpp)
