#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace spanscope {

// A strip above the trace list while it shows the traces behind a dashboard bar rather than what
// the filter bar says: what was clicked, a way back to the dashboard and one to the filters.
class DashboardDrillBar : public QFrame
{
    Q_OBJECT
public:
    explicit DashboardDrillBar(QWidget *parent = nullptr);

    void showDrillDown(const QString &description);
    QString description() const { return m_description; }

Q_SIGNALS:
    void backRequested();     // "Back to Dashboard"
    void dismissed();         // "Show the filtered list": the filter bar's query applies again

private:
    QString m_description;
    QLabel *m_label;
};

} // namespace spanscope
