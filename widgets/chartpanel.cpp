#include "chartpanel.h"

#include "layout/timescale.h"

#include <qcustomplot.h>

#include <QDateTime>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

namespace spanscope {

ChartPanel::ChartPanel(const QString &title, QWidget *parent)
    : QFrame(parent)
    , m_title(title)
    , m_titleLabel(new QLabel(title, this))
    , m_noteLabel(new QLabel(this))
    , m_controls(new QHBoxLayout)
    , m_menuButton(new QToolButton(this))
    , m_plot(new QCustomPlot(this))
{
    setFrameShape(QFrame::StyledPanel);
    setObjectName(QStringLiteral("chartPanel"));
    QFont f = m_titleLabel->font();
    f.setBold(true);
    m_titleLabel->setFont(f);
    m_titleLabel->setObjectName(QStringLiteral("chartTitle"));
    m_noteLabel->setObjectName(QStringLiteral("chartNote"));
    m_noteLabel->setTextFormat(Qt::PlainText);
    m_noteLabel->setWordWrap(true);
    m_menuButton->setText(QStringLiteral("⋯"));
    m_menuButton->setAutoRaise(true);
    m_menuButton->setToolTip(tr("Save the chart as PNG or PDF, or its data as CSV"));
    m_menuButton->setObjectName(QStringLiteral("chartMenu"));
    connect(m_menuButton, &QToolButton::clicked, this, &ChartPanel::showMenu);

    auto *header = new QHBoxLayout;
    header->setSpacing(6);
    header->addWidget(m_titleLabel);
    header->addStretch(1);
    m_controls->setSpacing(4);
    header->addLayout(m_controls);
    header->addWidget(m_menuButton);
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(6, 4, 6, 4);
    v->setSpacing(2);
    v->addLayout(header);
    v->addWidget(m_noteLabel);
    v->addWidget(m_plot, 1);
    m_noteLabel->hide();

    m_plot->setMinimumHeight(180);
    m_plot->setNoAntialiasingOnDrag(true);
    // Bars stay crisp; lines and markers are smoothed.
    m_plot->setNotAntialiasedElements(QCP::aePlottables);
    m_plot->setAntialiasedElements(QCP::aeItems | QCP::aeScatters);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
    m_plot->setMouseTracking(true);
    m_plot->legend->setVisible(false);
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    connect(m_plot, &QCustomPlot::mouseMove, this, &ChartPanel::onMouseMove);
    connect(m_plot, &QCustomPlot::plottableClick, this, [this](QCPAbstractPlottable *plottable, int index, QMouseEvent *) {
        TraceQuery query;
        QString description;
        if (drillDownFor(Hit{plottable, index}, &query, &description))
            Q_EMIT drillDownRequested(query, description);
    });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this](QMouseEvent *) { resetZoom(); });
    restyleAndReplot();
}

ChartPanel::~ChartPanel() = default;

QString ChartPanel::note() const
{
    return m_noteLabel->text();
}

void ChartPanel::setNote(const QString &text, bool warning)
{
    m_noteLabel->setText(text);
    m_noteLabel->setVisible(!text.isEmpty());
    m_noteWarning = warning;
    QPalette p = m_noteLabel->palette();
    const ChartStyle s = chartStyle();
    p.setColor(QPalette::WindowText, warning ? s.warning : s.mutedText);
    m_noteLabel->setPalette(p);
}

ChartStyle ChartPanel::chartStyle() const
{
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 0.9);
    return ChartStyle::fromPalette(palette(), f);
}

void ChartPanel::restyleAndReplot()
{
    const ChartStyle s = chartStyle();
    s.apply(m_plot);
    restyle(s);
    if (!m_noteLabel->text().isEmpty())
        setNote(m_noteLabel->text(), m_noteWarning);
    m_plot->replot();
}

void ChartPanel::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        restyleAndReplot();
}

void ChartPanel::useTimeAxis()
{
    QSharedPointer<QCPAxisTickerDateTime> ticker(new QCPAxisTickerDateTime);
    ticker->setDateTimeSpec(Qt::LocalTime);
    ticker->setDateTimeFormat(QStringLiteral("MMM d\nHH:mm"));
    ticker->setTickCount(6);
    m_plot->xAxis->setTicker(ticker);
}

void ChartPanel::placeLegendAbove(int columns)
{
    // Above the axis rect, in rows of `columns` entries: inside it, the legend hides bars.
    m_legendAbove = true;
    QCPLegend *legend = m_plot->legend;
    setLegendShown(legend->visible());
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(columns);
    legend->setColumnSpacing(14);
    legend->setRowSpacing(0);
    legend->setMargins(QMargins(4, 2, 4, 0));
    legend->setIconSize(14, 10);
    legend->setIconTextPadding(5);
    legend->setMinimumSize(0, 0);
    legend->setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX);
}

void ChartPanel::setLegendShown(bool shown)
{
    QCPLegend *legend = m_plot->legend;
    legend->setVisible(shown);
    if (!m_legendAbove)
        return;
    // A hidden legend still takes part in the layout (an empty one squeezes the plot to a sliver):
    // its row exists only while it is shown.
    QCPLayoutGrid *layout = m_plot->plotLayout();
    const bool placed = legend->layout() == layout;
    if (shown && !placed) {
        if (legend->layout())
            legend->layout()->take(legend);
        layout->insertRow(0);
        layout->addElement(0, 0, legend);
        layout->setRowStretchFactor(0, 0.001);
        layout->setRowSpacing(0);
    } else if (!shown && placed) {
        layout->take(legend);
        layout->simplify();
    }
}

void ChartPanel::setHomeRange(double lower, double upper)
{
    m_homeLower = lower;
    m_homeUpper = upper > lower ? upper : lower + 1;
    m_plot->xAxis->setRange(m_homeLower, m_homeUpper);
}

void ChartPanel::resetZoom()
{
    m_plot->xAxis->setRange(m_homeLower, m_homeUpper);
    m_plot->replot();
}

ChartPanel::Hit ChartPanel::hitAt(const QPointF &pos) const
{
    Hit best;
    double bestDistance = m_plot->selectionTolerance();
    // Topmost first: later plottables are drawn over earlier ones.
    for (int i = m_plot->plottableCount() - 1; i >= 0; --i) {
        QCPAbstractPlottable *p = m_plot->plottable(i);
        if (!p->visible())
            continue;
        QVariant details;
        const double d = p->selectTest(pos, false, &details);
        if (d < 0 || d >= bestDistance)
            continue;
        const QCPDataSelection selection = details.value<QCPDataSelection>();
        if (selection.isEmpty())
            continue;
        best = Hit{p, selection.dataRange().begin()};
        bestDistance = d;
    }
    return best;
}

QString ChartPanel::toolTipFor(const Hit &) const
{
    return {};
}

bool ChartPanel::drillDownFor(const Hit &, TraceQuery *, QString *) const
{
    return false;
}

bool ChartPanel::clickAt(const QPointF &pos)
{
    TraceQuery query;
    QString description;
    if (!drillDownFor(hitAt(pos), &query, &description))
        return false;
    Q_EMIT drillDownRequested(query, description);
    return true;
}

void ChartPanel::onMouseMove(QMouseEvent *event)
{
    if (event->buttons() != Qt::NoButton) {
        QToolTip::hideText();
        return;
    }
    const Hit hit = hitAt(event->position());
    const QString text = toolTipFor(hit);
    TraceQuery q;
    QString d;
    m_plot->setCursor(hit.isValid() && drillDownFor(hit, &q, &d) ? Qt::PointingHandCursor : Qt::ArrowCursor);
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(m_plot->mapToGlobal(event->position().toPoint()), text, m_plot);
}

bool ChartPanel::exportImage(const QString &path, QString *error, int width, int height)
{
    restyleAndReplot();
    // The file carries the chart's title (on screen it is the panel's).
    const ChartStyle style = chartStyle();
    QFont titleFont = style.font;
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    auto *titleElement = new QCPTextElement(m_plot, exportTitle(), titleFont);
    titleElement->setTextColor(style.text);
    titleElement->setMargins(QMargins(6, 4, 6, 2));
    QCPLayoutGrid *layout = m_plot->plotLayout();
    layout->insertRow(0);
    layout->addElement(0, 0, titleElement);
    layout->setRowStretchFactor(0, 0.001);
    const bool pdf = QFileInfo(path).suffix().compare(QLatin1String("pdf"), Qt::CaseInsensitive) == 0;
    const bool ok = pdf ? m_plot->savePdf(path, width, height) : m_plot->savePng(path, width, height, 2.0);
    layout->remove(titleElement);
    layout->simplify();
    m_plot->replot();
    if (!ok && error)
        *error = tr("Cannot write %1.").arg(QDir::toNativeSeparators(path));
    return ok;
}

bool ChartPanel::exportCsv(const QString &path, QString *error) const
{
    QSaveFile f(path);
    if (f.open(QIODevice::WriteOnly)) {
        f.write(csv().toUtf8());
        if (f.commit())
            return true;
    }
    if (error)
        *error = tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), f.errorString());
    return false;
}

void ChartPanel::showMenu()
{
    QMenu menu(this);
    const QString base = m_title.toLower().replace(QLatin1Char(' '), QLatin1Char('-'));
    auto save = [this, base](const QString &filter, const QString &suffix, bool data) {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save “%1”").arg(m_title), base + suffix, filter);
        if (path.isEmpty())
            return;
        QString error;
        const bool ok = data ? exportCsv(path, &error) : exportImage(path, &error);
        if (!ok)
            QMessageBox::warning(this, tr("Save failed"), error);
    };
    menu.addAction(tr("Save as &PNG…"), this, [=] { save(tr("PNG image (*.png)"), QStringLiteral(".png"), false); });
    menu.addAction(tr("Save as P&DF…"), this, [=] { save(tr("PDF document (*.pdf)"), QStringLiteral(".pdf"), false); });
    menu.addAction(tr("Save Data as &CSV…"), this, [=] { save(tr("CSV (*.csv)"), QStringLiteral(".csv"), true); });
    menu.addSeparator();
    menu.addAction(tr("&Reset Zoom"), this, &ChartPanel::resetZoom);
    menu.exec(m_menuButton->mapToGlobal(QPoint(0, m_menuButton->height())));
}

QString ChartPanel::csvField(const QString &value)
{
    if (!value.contains(QLatin1Char(',')) && !value.contains(QLatin1Char('"')) && !value.contains(QLatin1Char('\n'))
        && !value.contains(QLatin1Char('\r')))
        return value;
    QString v = value;
    v.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + v + QLatin1Char('"');
}

QString ChartPanel::csvRow(const QStringList &fields)
{
    QStringList quoted;
    quoted.reserve(fields.size());
    for (const QString &f : fields)
        quoted << csvField(f);
    return quoted.join(QLatin1Char(',')) + QStringLiteral("\r\n");
}

QString ChartPanel::formatUsd(double usd)
{
    if (usd == 0)
        return QStringLiteral("$0");
    if (std::abs(usd) < 0.01)
        return QStringLiteral("$") + QString::number(usd, 'f', 6);
    if (std::abs(usd) < 1)
        return QStringLiteral("$") + QString::number(usd, 'f', 4);
    return QStringLiteral("$") + QLocale().toString(usd, 'f', 2);
}

QString ChartPanel::formatNumber(qint64 n)
{
    return QLocale().toString(n);
}

QString ChartPanel::formatNs(double ns)
{
    return formatDuration(qint64(std::llround(ns)));
}

QString ChartPanel::formatBucket(qint64 startNs, qint64 bucketNs)
{
    const QDateTime a = QDateTime::fromMSecsSinceEpoch(startNs / 1'000'000, Qt::LocalTime);
    const QDateTime b = QDateTime::fromMSecsSinceEpoch((startNs + bucketNs) / 1'000'000, Qt::LocalTime);
    constexpr qint64 minute = 60'000'000'000LL, hour = 60 * minute, day = 24 * hour;
    if (bucketNs <= minute)
        return a.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    if (bucketNs < day)
        return a.toString(QStringLiteral("yyyy-MM-dd HH:mm")) + QStringLiteral("–") + b.toString(QStringLiteral("HH:mm"));
    if (bucketNs == day)
        return a.toString(QStringLiteral("yyyy-MM-dd"));
    return a.toString(QStringLiteral("yyyy-MM-dd")) + QStringLiteral(" – ") + b.addMSecs(-1).toString(QStringLiteral("yyyy-MM-dd"));
}

QString ChartPanel::isoTime(qint64 ns)
{
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(ns / 1'000'000, Qt::LocalTime);
    return local.toOffsetFromUtc(local.offsetFromUtc()).toString(Qt::ISODate);
}

} // namespace spanscope
