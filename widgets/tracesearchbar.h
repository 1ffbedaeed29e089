#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QToolButton;

namespace spanscope {

// Find-in-trace: a query field, "3 of 17", previous/next and close. Enter / Shift+Enter step
// through the matches, Esc closes.
class TraceSearchBar : public QWidget
{
    Q_OBJECT
public:
    explicit TraceSearchBar(QWidget *parent = nullptr);

    QString query() const;
    void setQuery(const QString &query);
    void focusQuery();  // shows the bar, focuses and selects the query
    // number < 0: the current span is not a match ("17 matches"); count 0 with a query: no matches.
    void setMatchInfo(int number, int count);
    QString matchText() const;
    QLineEdit *lineEdit() const { return m_edit; }

Q_SIGNALS:
    void queryChanged(const QString &query);
    void nextRequested();
    void previousRequested();
    void closeRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void updateIcons();

    QLineEdit *m_edit;
    QLabel *m_count;
    QToolButton *m_previous;
    QToolButton *m_next;
    QToolButton *m_close;
    bool m_noMatches = false;
};

} // namespace spanscope
