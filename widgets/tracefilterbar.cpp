#include "tracefilterbar.h"

#include <QComboBox>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>

namespace spanscope {

namespace {
struct RangePreset {
    const char *label;
    qint64 seconds;  // 0 = all time
};
constexpr RangePreset kRanges[] = {
    {QT_TRANSLATE_NOOP("TraceFilterBar", "All time"), 0},
    {QT_TRANSLATE_NOOP("TraceFilterBar", "Last 15 minutes"), 15 * 60},
    {QT_TRANSLATE_NOOP("TraceFilterBar", "Last hour"), 3600},
    {QT_TRANSLATE_NOOP("TraceFilterBar", "Last 24 hours"), 24 * 3600},
    {QT_TRANSLATE_NOOP("TraceFilterBar", "Last 7 days"), 7 * 24 * 3600},
    {QT_TRANSLATE_NOOP("TraceFilterBar", "Last 30 days"), 30 * 24 * 3600},
};

QComboBox *makeChoice(const QString &placeholder, QWidget *parent)
{
    auto *c = new QComboBox(parent);
    c->setEditable(true);
    c->setInsertPolicy(QComboBox::NoInsert);
    c->lineEdit()->setPlaceholderText(placeholder);
    c->lineEdit()->setClearButtonEnabled(true);
    c->setMinimumContentsLength(10);
    c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    c->setToolTip(placeholder);
    return c;
}
} // namespace

TraceFilterBar::TraceFilterBar(QWidget *parent)
    : QWidget(parent)
{
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(4, 2, 4, 2);
    row->setSpacing(6);

    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("traceSearch"));
    m_search->setPlaceholderText(tr("Search names, inputs and outputs…"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(220);
    row->addWidget(m_search, 3);

    m_range = new QComboBox(this);
    m_range->setObjectName(QStringLiteral("timeRange"));
    for (const RangePreset &r : kRanges)
        m_range->addItem(tr(r.label), r.seconds);
    m_range->setToolTip(tr("Time range"));
    row->addWidget(m_range);

    m_model = makeChoice(tr("Model"), this);
    m_model->setObjectName(QStringLiteral("modelFilter"));
    row->addWidget(m_model, 1);

    m_status = new QComboBox(this);
    m_status->setObjectName(QStringLiteral("statusFilter"));
    m_status->addItem(tr("Any status"), int(TraceQuery::Status::Any));
    m_status->addItem(tr("OK only"), int(TraceQuery::Status::Ok));
    m_status->addItem(tr("With errors"), int(TraceQuery::Status::Error));
    row->addWidget(m_status);

    m_service = makeChoice(tr("Service"), this);
    m_service->setObjectName(QStringLiteral("serviceFilter"));
    row->addWidget(m_service, 1);
    m_session = makeChoice(tr("Session"), this);
    m_session->setObjectName(QStringLiteral("sessionFilter"));
    row->addWidget(m_session, 1);
    m_user = makeChoice(tr("User"), this);
    m_user->setObjectName(QStringLiteral("userFilter"));
    row->addWidget(m_user, 1);

    m_minDurationMs = new QDoubleSpinBox(this);
    m_minDurationMs->setObjectName(QStringLiteral("minDuration"));
    m_minDurationMs->setRange(0, 1e9);
    m_minDurationMs->setDecimals(0);
    m_minDurationMs->setSuffix(tr(" ms"));
    m_minDurationMs->setPrefix(tr("≥ "));
    m_minDurationMs->setSpecialValueText(tr("Any duration"));
    m_minDurationMs->setToolTip(tr("Minimum duration"));
    row->addWidget(m_minDurationMs);

    m_minCost = new QDoubleSpinBox(this);
    m_minCost->setObjectName(QStringLiteral("minCost"));
    m_minCost->setRange(0, 1e6);
    m_minCost->setDecimals(4);
    m_minCost->setSingleStep(0.01);
    m_minCost->setPrefix(tr("≥ $"));
    m_minCost->setSpecialValueText(tr("Any cost"));
    m_minCost->setToolTip(tr("Minimum cost (USD)"));
    row->addWidget(m_minCost);

    m_clear = new QToolButton(this);
    m_clear->setText(tr("Clear"));
    m_clear->setToolTip(tr("Clear all filters"));
    m_clear->setAutoRaise(true);
    row->addWidget(m_clear);

    m_debounce.setSingleShot(true);
    connect(&m_debounce, &QTimer::timeout, this, [this] { Q_EMIT queryChanged(query()); });
    connect(m_search, &QLineEdit::textChanged, this, [this] { scheduleEmit(SearchDebounceMs); });
    for (QComboBox *c : {m_model, m_service, m_session, m_user})
        connect(c, &QComboBox::currentTextChanged, this, [this] { scheduleEmit(SearchDebounceMs); });
    connect(m_range, &QComboBox::currentIndexChanged, this, [this] { scheduleEmit(0); });
    connect(m_status, &QComboBox::currentIndexChanged, this, [this] { scheduleEmit(0); });
    connect(m_minDurationMs, &QDoubleSpinBox::valueChanged, this, [this] { scheduleEmit(SearchDebounceMs); });
    connect(m_minCost, &QDoubleSpinBox::valueChanged, this, [this] { scheduleEmit(SearchDebounceMs); });
    connect(m_clear, &QToolButton::clicked, this, &TraceFilterBar::clear);
}

void TraceFilterBar::scheduleEmit(int delayMs)
{
    m_clear->setEnabled(isFiltering());
    m_debounce.start(delayMs);
}

TraceQuery TraceFilterBar::query() const
{
    TraceQuery q;
    q.search = m_search->text().trimmed();
    q.model = m_model->currentText().trimmed();
    q.service = m_service->currentText().trimmed();
    q.sessionId = m_session->currentText().trimmed();
    q.userId = m_user->currentText().trimmed();
    q.status = TraceQuery::Status(m_status->currentData().toInt());
    const qint64 seconds = m_range->currentData().toLongLong();
    if (seconds > 0) {
        const qint64 now = m_nowForTesting > 0 ? m_nowForTesting : QDateTime::currentMSecsSinceEpoch() * 1000000;
        q.sinceNs = now - seconds * 1000000000LL;
    }
    q.minDurationNs = qint64(m_minDurationMs->value() * 1e6);
    q.minCostUsd = m_minCost->value();
    return q;
}

bool TraceFilterBar::isFiltering() const
{
    const TraceQuery q = query();
    return !q.search.isEmpty() || !q.model.isEmpty() || !q.service.isEmpty() || !q.sessionId.isEmpty()
        || !q.userId.isEmpty() || q.status != TraceQuery::Status::Any || q.sinceNs > 0 || q.minDurationNs > 0
        || q.minCostUsd > 0;
}

void TraceFilterBar::setChoices(const QString &field, const QStringList &values)
{
    QComboBox *c = field == QLatin1String("model") ? m_model
        : field == QLatin1String("service")        ? m_service
        : field == QLatin1String("session")        ? m_session
        : field == QLatin1String("user")           ? m_user
                                                   : nullptr;
    if (!c)
        return;
    const QSignalBlocker block(c);
    const QString current = c->currentText();
    c->clear();
    c->addItems(values);
    c->setCurrentIndex(-1);
    c->setEditText(current);
}

void TraceFilterBar::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void TraceFilterBar::clear()
{
    {
        const QSignalBlocker b1(m_search), b2(m_model), b3(m_service), b4(m_session), b5(m_user), b6(m_range),
            b7(m_status), b8(m_minDurationMs), b9(m_minCost);
        m_search->clear();
        for (QComboBox *c : {m_model, m_service, m_session, m_user}) {
            c->setCurrentIndex(-1);
            c->setEditText(QString());
        }
        m_range->setCurrentIndex(0);
        m_status->setCurrentIndex(0);
        m_minDurationMs->setValue(0);
        m_minCost->setValue(0);
    }
    scheduleEmit(0);
}

} // namespace spanscope
