#pragma once

#include <QWidget>

class QLabel;

namespace spanscope {

// Status-bar summary of live ingest: a dot (grey off, green receiving, amber reconnecting, red
// failed) with the endpoint, the ingest rate and totals; a second part for the gateway feed.
// Takes plain values so it depends on no live model code.
class LiveStatusWidget : public QWidget
{
    Q_OBJECT
public:
    enum class Health { Off, Ok, Warning, Error };

    explicit LiveStatusWidget(QWidget *parent = nullptr);

    void setReceiver(bool on, const QString &endpoint, const QString &error = {});
    void setRates(double spansPerSecond, qint64 totalSpans, qint64 requests, qint64 refused);
    // state text such as "connected", "reconnecting in 2 s"; hidden when !shown
    void setGateway(bool shown, Health health, const QString &state, qint64 events, const QString &tooltip);

    QString receiverText() const;
    QString gatewayText() const;

private:
    void updateText();

    QLabel *m_dot = nullptr;
    QLabel *m_text = nullptr;
    QLabel *m_gatewayDot = nullptr;
    QLabel *m_gateway = nullptr;
    bool m_on = false;
    QString m_endpoint;
    QString m_error;
    double m_rate = 0;
    qint64 m_total = 0;
    qint64 m_requests = 0;
    qint64 m_refused = 0;
};

} // namespace spanscope
