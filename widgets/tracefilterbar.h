#pragma once

#include "store/tracestore.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QToolButton;

namespace spanscope {

// The trace list's filter bar: full-text search (debounced as you type), time range, model,
// status, service, session, user, minimum duration and minimum cost. Emits queryChanged with a
// TraceQuery whose sort/limit/offset are left to the model.
class TraceFilterBar : public QWidget
{
    Q_OBJECT
public:
    explicit TraceFilterBar(QWidget *parent = nullptr);

    TraceQuery query() const;
    // Choices for the drop-downs (the current text is kept).
    void setChoices(const QString &field, const QStringList &values);
    void focusSearch();
    void clear();
    bool isFiltering() const;
    // "now" for relative time ranges; tests set it, the app leaves it to the clock.
    void setNowForTesting(qint64 nowNs) { m_nowForTesting = nowNs; }

    static constexpr int SearchDebounceMs = 250;

Q_SIGNALS:
    void queryChanged(const spanscope::TraceQuery &query);

private:
    void scheduleEmit(int delayMs);

    QLineEdit *m_search = nullptr;
    QComboBox *m_range = nullptr;
    QComboBox *m_model = nullptr;
    QComboBox *m_status = nullptr;
    QComboBox *m_service = nullptr;
    QComboBox *m_session = nullptr;
    QComboBox *m_user = nullptr;
    QDoubleSpinBox *m_minDurationMs = nullptr;
    QDoubleSpinBox *m_minCost = nullptr;
    QToolButton *m_clear = nullptr;
    QTimer m_debounce;
    qint64 m_nowForTesting = 0;
};

} // namespace spanscope
