#include "dashboarddrillbar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>

namespace spanscope {

DashboardDrillBar::DashboardDrillBar(QWidget *parent)
    : QFrame(parent)
    , m_label(new QLabel(this))
{
    setObjectName(QStringLiteral("dashboardDrillBar"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::AlternateBase);
    m_label->setObjectName(QStringLiteral("dashboardDrillText"));
    m_label->setTextFormat(Qt::PlainText);
    auto *back = new QPushButton(tr("Back to Dashboard"), this);
    back->setObjectName(QStringLiteral("dashboardDrillBack"));
    auto *close = new QToolButton(this);
    close->setObjectName(QStringLiteral("dashboardDrillClose"));
    close->setText(tr("Show Filtered List"));
    close->setToolTip(tr("Back to the traces the filter bar selects"));
    close->setAutoRaise(true);
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(8, 3, 4, 3);
    row->addWidget(m_label, 1);
    row->addWidget(back);
    row->addWidget(close);
    connect(back, &QPushButton::clicked, this, &DashboardDrillBar::backRequested);
    connect(close, &QToolButton::clicked, this, [this] {
        hide();
        Q_EMIT dismissed();
    });
    hide();
}

void DashboardDrillBar::showDrillDown(const QString &description)
{
    m_description = description;
    m_label->setText(tr("Traces behind %1").arg(description));
    m_label->setToolTip(m_label->text());
    show();
}

} // namespace spanscope
