#include "compareview.h"

#include "comparediffpane.h"
#include "comparerowdelegate.h"
#include "comparesummarybar.h"
#include "items/comparemodel.h"
#include "items/kindpalette.h"

#include <QCheckBox>
#include <QEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTreeView>
#include <QVBoxLayout>

namespace spanscope {

namespace {
// Larger comparisons open expanded only down to this depth, so expanding stays quick.
constexpr int kExpandAllRows = 20000;
constexpr int kDefaultDepth = 3;
} // namespace

CompareView::CompareView(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_emptyLabel(new QLabel(m_stack))
    , m_content(new QWidget(m_stack))
    , m_summary(new CompareSummaryBar(m_content))
    , m_commonScale(new QCheckBox(tr("Same time scale for A and B"), m_content))
    , m_legend(new QLabel(m_content))
    , m_splitter(new QSplitter(Qt::Vertical, m_content))
    , m_model(new CompareModel(this))
    , m_delegate(new CompareRowDelegate(this))
    , m_tree(new QTreeView)
    , m_diffPane(new CompareDiffPane)
{
    m_emptyLabel->setObjectName(QStringLiteral("compareViewEmpty"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setForegroundRole(QPalette::PlaceholderText);
    m_emptyLabel->setText(tr("Select two traces to compare them span by span"));

    m_tree->setObjectName(QStringLiteral("compareTree"));
    m_tree->setModel(m_model);
    m_tree->setItemDelegate(m_delegate);
    m_tree->setUniformRowHeights(true);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->setIndentation(fontMetrics().averageCharWidth() * 2);
    m_delegate->setIndentation(m_tree->indentation());
    m_tree->setTextElideMode(Qt::ElideRight);
    QHeaderView *header = m_tree->header();
    header->setStretchLastSection(false);
    header->setSectionsMovable(false);
    const QFontMetrics fm = fontMetrics();
    const int pad = fm.averageCharWidth() * 3;
    header->setMinimumSectionSize(fm.averageCharWidth() * 6);
    // A's names share their column with the tree's branch indicators.
    header->resizeSection(CompareModel::NameAColumn, fm.averageCharWidth() * 24 + m_tree->indentation() * 2);
    header->resizeSection(CompareModel::NameBColumn, fm.averageCharWidth() * 24);
    header->setSectionResizeMode(CompareModel::TimelineAColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(CompareModel::TimelineBColumn, QHeaderView::Stretch);
    header->resizeSection(CompareModel::DurationDeltaColumn, fm.horizontalAdvance(QStringLiteral("Δ duration")) + pad);
    header->resizeSection(CompareModel::TokensDeltaColumn, fm.horizontalAdvance(QStringLiteral("+1,234 / +1,234")) + pad);
    header->resizeSection(CompareModel::CostDeltaColumn, fm.horizontalAdvance(QStringLiteral("−$0.000000")) + pad);
    header->resizeSection(CompareModel::ChangesColumn, fm.averageCharWidth() * 34);

    m_commonScale->setChecked(true);
    m_commonScale->setToolTip(tr("On: both timelines use the longer trace's duration, so a slower run shows longer bars.\n"
                                 "Off: each timeline spans its own trace."));
    connect(m_commonScale, &QCheckBox::toggled, this, &CompareView::setCommonTimeScale);
    m_legend->setTextFormat(Qt::RichText);
    updateLegend();

    auto *toolbar = new QHBoxLayout;
    toolbar->setContentsMargins(fm.averageCharWidth() * 2, 0, fm.averageCharWidth() * 2, fm.averageCharWidth() / 2);
    toolbar->addWidget(m_commonScale);
    toolbar->addStretch(1);
    toolbar->addWidget(m_legend);

    m_splitter->addWidget(m_tree);
    m_splitter->addWidget(m_diffPane);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);

    auto *rule = new QFrame(m_content);
    rule->setFrameShape(QFrame::HLine);
    rule->setFrameShadow(QFrame::Plain);
    rule->setForegroundRole(QPalette::Mid);
    auto *contentLayout = new QVBoxLayout(m_content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->setSpacing(0);
    contentLayout->addWidget(m_summary);
    contentLayout->addLayout(toolbar);
    contentLayout->addWidget(rule);
    contentLayout->addWidget(m_splitter, 1);

    m_stack->addWidget(m_emptyLabel);
    m_stack->addWidget(m_content);
    auto *main = new QVBoxLayout(this);
    main->setContentsMargins(0, 0, 0, 0);
    main->addWidget(m_stack);

    connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &CompareView::onCurrentChanged);
    connect(m_summary, &CompareSummaryBar::rowActivated, this, [this](int row) {
        selectRow(row);
        m_tree->setFocus();
    });
}

CompareView::~CompareView() = default;

void CompareView::setTraces(std::shared_ptr<const Trace> a, const TraceSummary &sa, std::shared_ptr<const Trace> b,
                            const TraceSummary &sb)
{
    if (!a || !b)
        return clear();
    m_model->setTraces(a, b);
    showComparison(*a, sa, *b, sb);
}

void CompareView::setTraces(std::shared_ptr<const Trace> a, const TraceSummary &sa, std::shared_ptr<const Trace> b,
                            const TraceSummary &sb, TraceComparison comparison)
{
    if (!a || !b)
        return clear();
    m_model->setComparison(a, b, std::move(comparison));
    showComparison(*a, sa, *b, sb);
}

void CompareView::showComparison(const Trace &a, const TraceSummary &sa, const Trace &b, const TraceSummary &sb)
{
    m_lastRow = -1;
    m_summary->setComparison(m_model->comparison(), a, sa, b, sb);
    if (m_model->comparison().rowCount() <= kExpandAllRows)
        m_tree->expandAll();
    else
        m_tree->expandToDepth(kDefaultDepth - 1);
    m_stack->setCurrentWidget(m_content);
    m_diffPane->clear();

    // Start on what most likely matters: the biggest latency contributor, else the first change.
    const CompareSummary &s = m_model->comparison().summary();
    int start = s.topLatency.isEmpty() ? -1 : s.topLatency.first().row;
    for (int r = 0; start < 0 && r < m_model->comparison().rowCount(); ++r) {
        if (m_model->comparison().row(r).status != CompareStatus::Same)
            start = r;
    }
    selectRow(start >= 0 ? start : 0);
}

void CompareView::clear()
{
    m_lastRow = -1;
    m_model->clear();
    m_summary->clear();
    m_diffPane->clear();
    m_stack->setCurrentWidget(m_emptyLabel);
}

QString CompareView::emptyText() const
{
    return m_stack->currentWidget() == m_emptyLabel ? m_emptyLabel->text() : QString();
}

bool CompareView::isCommonTimeScale() const
{
    return m_model->isCommonTimeScale();
}

void CompareView::setCommonTimeScale(bool common)
{
    m_model->setCommonTimeScale(common);
    if (m_commonScale->isChecked() != common)
        m_commonScale->setChecked(common);
    m_tree->viewport()->update();
}

int CompareView::currentRow() const
{
    return m_model->compareRow(m_tree->currentIndex());
}

void CompareView::selectRow(int compareRow)
{
    const QModelIndex index = m_model->indexOfRow(compareRow);
    if (!index.isValid())
        return;
    for (QModelIndex p = index.parent(); p.isValid(); p = p.parent())
        m_tree->expand(p);
    m_tree->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_tree->scrollTo(index);
}

void CompareView::onCurrentChanged()
{
    const int row = currentRow();
    if (row == m_lastRow)
        return;
    m_lastRow = row;
    if (row < 0) {
        m_diffPane->clear();
    } else {
        const CompareRow &r = m_model->comparison().row(row);
        QStringList note;
        if (r.isPair()) {
            if (r.status == CompareStatus::Changed)
                note << m_model->changesText(row);
            note << tr("duration %1").arg(CompareModel::formatDurationDelta(r.deltaDurationNs));
            if (r.deltaInputTokens || r.deltaOutputTokens)
                note << tr("tokens %1 in / %2 out").arg(CompareModel::formatCountDelta(r.deltaInputTokens),
                                                       CompareModel::formatCountDelta(r.deltaOutputTokens));
            if (r.changes.testFlag(SpanChange::Cost))
                note << tr("cost %1").arg(CompareModel::formatCostDelta(r.deltaCostUsd));
        }
        m_diffPane->setSpans(r.a >= 0 ? &m_model->traceA()->span(r.a) : nullptr,
                             r.b >= 0 ? &m_model->traceB()->span(r.b) : nullptr, note.join(QStringLiteral(" · ")));
    }
    Q_EMIT currentRowChanged(row);
}

void CompareView::updateLegend()
{
    auto swatch = [](const QColor &c, const QString &label) {
        return QStringLiteral("<span style=\"color:%1\">■</span>&nbsp;%2").arg(c.name(), label.toHtmlEscaped());
    };
    m_legend->setText(swatch(KindPalette::addedColor(), tr("added in B")) + QStringLiteral(" &nbsp; ")
                      + swatch(KindPalette::removedColor(), tr("only in A")) + QStringLiteral(" &nbsp; ")
                      + swatch(KindPalette::changedColor(), tr("changed")));
}

void CompareView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        updateLegend();
}

} // namespace spanscope
