#include "livestatuswidget.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>

namespace spanscope {

namespace {
QString dotStyle(LiveStatusWidget::Health h)
{
    const char *color = "#9aa0a6";
    switch (h) {
    case LiveStatusWidget::Health::Off: color = "#9aa0a6"; break;
    case LiveStatusWidget::Health::Ok: color = "#2e9d52"; break;
    case LiveStatusWidget::Health::Warning: color = "#d68a00"; break;
    case LiveStatusWidget::Health::Error: color = "#d93025"; break;
    }
    return QStringLiteral("QLabel { background: %1; border-radius: 4px; min-width: 8px; max-width: 8px; min-height: 8px; max-height: 8px; }")
        .arg(QLatin1String(color));
}
} // namespace

LiveStatusWidget::LiveStatusWidget(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("liveStatus"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->setSpacing(6);
    m_dot = new QLabel(this);
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("liveStatusText"));
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_gatewayDot = new QLabel(this);
    m_gateway = new QLabel(this);
    m_gateway->setObjectName(QStringLiteral("gatewayStatusText"));
    layout->addWidget(m_dot, 0, Qt::AlignVCenter);
    layout->addWidget(m_text);
    layout->addSpacing(8);
    layout->addWidget(m_gatewayDot, 0, Qt::AlignVCenter);
    layout->addWidget(m_gateway);
    m_gatewayDot->hide();
    m_gateway->hide();
    updateText();
}

void LiveStatusWidget::setReceiver(bool on, const QString &endpoint, const QString &error)
{
    m_on = on;
    m_endpoint = endpoint;
    m_error = error;
    if (!on) {
        m_rate = 0;
    }
    updateText();
}

void LiveStatusWidget::setRates(double spansPerSecond, qint64 totalSpans, qint64 requests, qint64 refused)
{
    m_rate = spansPerSecond;
    m_total = totalSpans;
    m_requests = requests;
    m_refused = refused;
    updateText();
}

void LiveStatusWidget::setGateway(bool shown, Health health, const QString &state, qint64 events, const QString &tooltip)
{
    m_gatewayDot->setVisible(shown);
    m_gateway->setVisible(shown);
    if (!shown)
        return;
    m_gatewayDot->setStyleSheet(dotStyle(health));
    m_gateway->setText(tr("Gateway %1 · %2").arg(state, QLocale().toString(events) + QLatin1Char(' ') + (events == 1 ? tr("event") : tr("events"))));
    m_gateway->setToolTip(tooltip);
    m_gatewayDot->setToolTip(tooltip);
}

QString LiveStatusWidget::receiverText() const
{
    return m_text->text();
}

QString LiveStatusWidget::gatewayText() const
{
    return m_gateway->isVisibleTo(this) ? m_gateway->text() : QString();
}

void LiveStatusWidget::updateText()
{
    const QLocale l;
    if (!m_error.isEmpty()) {
        m_dot->setStyleSheet(dotStyle(Health::Error));
        m_text->setText(tr("Live off: %1").arg(m_error));
        m_text->setToolTip(m_error);
    } else if (!m_on) {
        m_dot->setStyleSheet(dotStyle(Health::Off));
        m_text->setText(tr("Live off"));
        m_text->setToolTip(tr("Turn on Live to receive OTLP/HTTP traces on 127.0.0.1:4318"));
    } else {
        m_dot->setStyleSheet(dotStyle(Health::Ok));
        QString text = tr("Live %1 · %2 spans/s · %3 received").arg(m_endpoint, l.toString(qRound64(m_rate)), l.toString(m_total));
        if (m_refused > 0)
            text += QStringLiteral(" · ") + tr("%1 refused").arg(l.toString(m_refused));
        m_text->setText(text);
        m_text->setToolTip(tr("Point OTEL_EXPORTER_OTLP_ENDPOINT=%1 (OTLP/HTTP, JSON or protobuf) at Spanscope.\n"
                              "%2 requests since the receiver started.")
                               .arg(m_endpoint, l.toString(m_requests)));
    }
}

} // namespace spanscope
