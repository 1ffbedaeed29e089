#pragma once

#include "compare/tracecomparison.h"

#include <QWidget>

#include <functional>

class QHBoxLayout;
class QLabel;
class QToolButton;

namespace spanscope {

// Above the compare view's rows: which two traces, what changed in total (latency, tokens, cost,
// errors; spans added, removed, changed) and the spans behind most of the latency and cost
// difference, each a button that selects its row.
class CompareSummaryBar : public QWidget
{
    Q_OBJECT
public:
    // Contributors shown per kind (latency, cost); the comparison may hold more.
    static constexpr int MaxShown = 3;

    explicit CompareSummaryBar(QWidget *parent = nullptr);

    void setComparison(const TraceComparison &comparison, const Trace &a, const TraceSummary &sa, const Trace &b,
                       const TraceSummary &sb);
    void clear();

    QString titleText() const;        // the two traces, as plain text
    QString totalsText() const;       // "Latency +1.20 s (+30.0 %) · Tokens …", as plain text
    QList<QToolButton *> contributorButtons() const { return m_buttons; }

Q_SIGNALS:
    void rowActivated(int compareRow);

protected:
    void changeEvent(QEvent *event) override;

private:
    void rebuild();

    struct Contributor {
        int row = -1;
        QString text;
        QString toolTip;
        bool worse = false;
    };
    QString m_titleHtml;
    QString m_totalsHtml;
    QList<Contributor> m_latency;
    QList<Contributor> m_cost;
    QLabel *m_title;
    QLabel *m_totals;
    QWidget *m_contributors;
    QHBoxLayout *m_contributorsLayout;
    QList<QToolButton *> m_buttons;
    // Rebuilt on palette changes: the HTML carries colours.
    std::function<void()> m_render;
};

} // namespace spanscope
