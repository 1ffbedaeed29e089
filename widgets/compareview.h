#pragma once

#include "compare/tracecomparison.h"
#include "trace/trace.h"

#include <QWidget>

#include <memory>

class QCheckBox;
class QLabel;
class QSplitter;
class QStackedWidget;
class QTreeView;

namespace spanscope {

class CompareDiffPane;
class CompareModel;
class CompareRowDelegate;
class CompareSummaryBar;

// Two traces side by side, span by span (typically two runs of one agent, before and after a
// change of prompt or model). One tree holds both: each row is a pair of aligned spans or a span
// that only one side has, with a hatched gap on the other side, so A and B always line up and
// scroll together. Columns: A's span and timeline, Δ duration, Δ tokens, Δ cost, what changed,
// B's span and timeline. Rows are tinted green (added in B), red (only in A) or orange (changed).
// Above: the totals and the spans behind most of the latency and cost difference (click one to
// select its row). Below: the content diff of the selected row.
// The traces must be loaded with details (inputs, outputs, messages, attributes).
class CompareView : public QWidget
{
    Q_OBJECT
public:
    explicit CompareView(QWidget *parent = nullptr);
    ~CompareView() override;

    void setTraces(std::shared_ptr<const Trace> a, const TraceSummary &sa, std::shared_ptr<const Trace> b,
                   const TraceSummary &sb);
    // The same with TraceComparison::compare(*a, *b) already done (on a worker thread, next to
    // loading the spans: two 100,000-span traces take a few hundred milliseconds to align).
    void setTraces(std::shared_ptr<const Trace> a, const TraceSummary &sa, std::shared_ptr<const Trace> b,
                   const TraceSummary &sb, TraceComparison comparison);
    void clear();   // empty state

    // One time scale for both timelines (default), or each trace across the full column.
    bool isCommonTimeScale() const;
    void setCommonTimeScale(bool common);

    int currentRow() const;          // index into model()->comparison().rows(), -1 = none
    void selectRow(int compareRow);  // expands its ancestors and scrolls to it

    CompareModel *model() const { return m_model; }
    QTreeView *treeView() const { return m_tree; }
    CompareSummaryBar *summaryBar() const { return m_summary; }
    CompareDiffPane *diffPane() const { return m_diffPane; }
    QCheckBox *commonTimeScaleCheckBox() const { return m_commonScale; }
    QString emptyText() const;

Q_SIGNALS:
    void currentRowChanged(int compareRow);

protected:
    void changeEvent(QEvent *event) override;

private:
    void onCurrentChanged();
    void showComparison(const Trace &a, const TraceSummary &sa, const Trace &b, const TraceSummary &sb);
    void updateLegend();

    QStackedWidget *m_stack;
    QLabel *m_emptyLabel;
    QWidget *m_content;
    CompareSummaryBar *m_summary;
    QCheckBox *m_commonScale;
    QLabel *m_legend;
    QSplitter *m_splitter;
    CompareModel *m_model;
    CompareRowDelegate *m_delegate;
    QTreeView *m_tree;
    CompareDiffPane *m_diffPane;
    int m_lastRow = -1;
};

} // namespace spanscope
