#include "tracesearchbar.h"

#include "lineicons.h"
#include "waterfallpainter.h"

#include <QBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QStyle>
#include <QToolButton>

namespace spanscope {


TraceSearchBar::TraceSearchBar(QWidget *parent)
    : QWidget(parent)
    , m_edit(new QLineEdit(this))
    , m_count(new QLabel(this))
    , m_previous(new QToolButton(this))
    , m_next(new QToolButton(this))
    , m_close(new QToolButton(this))
{
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Window);
    m_edit->setObjectName(QStringLiteral("traceSearchEdit"));
    m_edit->setPlaceholderText(tr("Find spans by name, kind, model, service or status"));
    m_edit->setClearButtonEnabled(true);
    m_edit->installEventFilter(this);
    m_edit->setMinimumWidth(fontMetrics().averageCharWidth() * 30);
    m_edit->setMaximumWidth(fontMetrics().averageCharWidth() * 70);
    m_count->setObjectName(QStringLiteral("traceSearchCount"));
    m_count->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("00,000 of 00,000")));
    m_count->setForegroundRole(QPalette::PlaceholderText);
    m_previous->setToolTip(tr("Previous match (Shift+Enter, Shift+F3)"));
    m_next->setToolTip(tr("Next match (Enter, F3)"));
    m_close->setToolTip(tr("Close (Esc)"));
    for (QToolButton *b : {m_previous, m_next, m_close}) {
        b->setAutoRaise(true);
        b->setFocusPolicy(Qt::NoFocus);
    }
    updateIcons();

    auto *h = new QHBoxLayout(this);
    const int m = fontMetrics().averageCharWidth();
    h->setContentsMargins(m, 3, m / 2, 3);
    h->setSpacing(m / 2);
    h->addWidget(m_edit, 2);
    h->addWidget(m_count);
    h->addWidget(m_previous);
    h->addWidget(m_next);
    h->addStretch(1);
    h->addWidget(m_close);

    connect(m_edit, &QLineEdit::textChanged, this, &TraceSearchBar::queryChanged);
    connect(m_previous, &QToolButton::clicked, this, &TraceSearchBar::previousRequested);
    connect(m_next, &QToolButton::clicked, this, &TraceSearchBar::nextRequested);
    connect(m_close, &QToolButton::clicked, this, &TraceSearchBar::closeRequested);
    setMatchInfo(-1, 0);
}

QString TraceSearchBar::query() const
{
    return m_edit->text();
}

void TraceSearchBar::setQuery(const QString &query)
{
    m_edit->setText(query);
}

void TraceSearchBar::focusQuery()
{
    show();
    m_edit->setFocus(Qt::ShortcutFocusReason);
    m_edit->selectAll();
}

void TraceSearchBar::setMatchInfo(int number, int count)
{
    const bool hasQuery = !m_edit->text().trimmed().isEmpty();
    if (!hasQuery)
        m_count->clear();
    else if (count == 0)
        m_count->setText(tr("No matches"));
    else if (number >= 0)
        m_count->setText(tr("%1 of %2").arg(QLocale().toString(number + 1), QLocale().toString(count)));
    else
        m_count->setText(count == 1 ? tr("1 match") : tr("%1 matches").arg(QLocale().toString(count)));
    m_previous->setEnabled(count > 0);
    m_next->setEnabled(count > 0);
    m_noMatches = hasQuery && count == 0;
    // A query without matches tints the field like browsers do.
    QPalette pal;  // nothing set: the field follows the application palette
    if (m_noMatches) {
        const WaterfallColors c = WaterfallColors::fromPalette(palette());
        QColor bg = c.error;
        bg.setAlpha(c.dark ? 70 : 40);
        pal.setColor(QPalette::Base, QColor::fromRgbF(
            float(c.base.redF() * (1 - bg.alphaF()) + bg.redF() * bg.alphaF()),
            float(c.base.greenF() * (1 - bg.alphaF()) + bg.greenF() * bg.alphaF()),
            float(c.base.blueF() * (1 - bg.alphaF()) + bg.blueF() * bg.alphaF())));
    }
    m_edit->setPalette(pal);
}

QString TraceSearchBar::matchText() const
{
    return m_count->text();
}

bool TraceSearchBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_edit && event->type() == QEvent::ShortcutOverride) {
        // Esc and Enter belong to the field even when the window has shortcuts on them (the
        // explorer's Esc cancels imports).
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Escape || key == Qt::Key_Return || key == Qt::Key_Enter) {
            event->accept();
            return true;
        }
    }
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        switch (key->key()) {
        case Qt::Key_Return:
        case Qt::Key_Enter:
            if (key->modifiers() & Qt::ShiftModifier)
                Q_EMIT previousRequested();
            else
                Q_EMIT nextRequested();
            return true;
        case Qt::Key_Escape:
            Q_EMIT closeRequested();
            return true;
        case Qt::Key_Down:
            Q_EMIT nextRequested();
            return true;
        case Qt::Key_Up:
            Q_EMIT previousRequested();
            return true;
        default:
            break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void TraceSearchBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        updateIcons();
    QWidget::changeEvent(event);
}

void TraceSearchBar::updateIcons()
{
    const QColor c = palette().color(QPalette::ButtonText);
    const int size = std::max(12, fontMetrics().height() - 2);
    const qreal dpr = devicePixelRatioF();
    m_previous->setIcon(lineIcon(LineIcon::Up, c, size, dpr));
    m_next->setIcon(lineIcon(LineIcon::Down, c, size, dpr));
    m_close->setIcon(lineIcon(LineIcon::Close, c, size, dpr));
    for (QToolButton *b : {m_previous, m_next, m_close})
        b->setIconSize(QSize(size, size));
}

} // namespace spanscope
