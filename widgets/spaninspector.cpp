#include "spaninspector.h"

#include "copyabletreeview.h"
#include "inspectorutils.h"
#include "items/attributesmodel.h"
#include "items/kindpalette.h"
#include "layout/timescale.h"
#include "messageview.h"
#include "payloadview.h"
#include "spandetailviews.h"

#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace spanscope {

namespace {

constexpr std::array<const char *, 7> kTabNames = {"messages", "io", "parameters", "attributes", "events", "documents", "links"};
constexpr qsizetype kHeaderTextChars = 400;

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString colored(const QString &html, const QColor &color, bool bold = false)
{
    return QStringLiteral("<span style=\"color:%1;%2\">%3</span>")
        .arg(color.name(), bold ? QStringLiteral("font-weight:600;") : QString(), html);
}

QString shortened(const QString &text, qsizetype maxChars = kHeaderTextChars)
{
    bool truncated = false;
    QString out = textPreview(text, maxChars, &truncated);
    return truncated ? out + QChar(0x2026) : out;
}

QLabel *makeValueLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::RichText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    return label;
}

void setupTable(CopyableTreeView *view)
{
    view->setRootIsDecorated(true);
    view->setAlternatingRowColors(true);
    view->setColumnResizeModes({QHeaderView::Interactive, QHeaderView::Stretch, QHeaderView::ResizeToContents});
    view->header()->setStretchLastSection(false);
    view->header()->setMinimumSectionSize(40);
}

// Key column wide enough for the keys, within reason.
void fitKeyColumn(CopyableTreeView *view)
{
    view->resizeColumnToContents(AttributesModel::KeyColumn);
    const int available = std::max(view->viewport()->width(), 320);
    view->setColumnWidth(AttributesModel::KeyColumn, std::clamp(view->columnWidth(AttributesModel::KeyColumn) + 8, 100, available / 2));
}

bool hasOffset(qint64 traceStartNs, qint64 spanStartNs)
{
    return traceStartNs > 0 && spanStartNs >= traceStartNs;
}

} // namespace

SpanInspector::SpanInspector(QWidget *parent)
    : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    m_loadingDelay.setSingleShot(true);
    m_loadingDelay.setInterval(LoadingDelayMs);
    connect(&m_loadingDelay, &QTimer::timeout, this, [this] {
        if (m_loading)
            showPage(m_loadingPage);
    });
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_pages = new QStackedWidget(this);
    layout->addWidget(m_pages);

    // Empty state
    m_emptyPage = new QWidget(m_pages);
    {
        auto *l = new QVBoxLayout(m_emptyPage);
        auto *label = new QLabel(tr("Select a span to see its inputs, outputs and attributes"), m_emptyPage);
        label->setObjectName(QStringLiteral("emptyStateLabel"));
        label->setAlignment(Qt::AlignCenter);
        label->setWordWrap(true);
        label->setForegroundRole(QPalette::PlaceholderText);
        l->addStretch(1);
        l->addWidget(label);
        l->addStretch(2);
    }
    // Loading state
    m_loadingPage = new QWidget(m_pages);
    {
        auto *l = new QVBoxLayout(m_loadingPage);
        auto *label = new QLabel(tr("Loading span details…"), m_loadingPage);
        label->setObjectName(QStringLiteral("loadingStateLabel"));
        label->setAlignment(Qt::AlignCenter);
        label->setForegroundRole(QPalette::PlaceholderText);
        auto *busy = new QProgressBar(m_loadingPage);
        busy->setRange(0, 0);
        busy->setTextVisible(false);
        busy->setFixedSize(160, 6);
        l->addStretch(1);
        l->addWidget(label);
        l->addWidget(busy, 0, Qt::AlignHCenter);
        l->addStretch(2);
    }
    // Content
    m_contentPage = new QWidget(m_pages);
    {
        auto *l = new QVBoxLayout(m_contentPage);
        l->setContentsMargins(0, 0, 0, 0);
        l->setSpacing(0);
        l->addWidget(createHeader());

        m_tabs = new QTabWidget(m_contentPage);
        m_tabs->setDocumentMode(true);
        m_tabs->setUsesScrollButtons(true);
        m_tabs->setElideMode(Qt::ElideNone);

        m_messages = new MessageView(m_tabs);
        m_tabPages[MessagesTab] = m_messages;

        auto *io = new QWidget(m_tabs);
        auto *ioLayout = new QVBoxLayout(io);
        ioLayout->setContentsMargins(4, 4, 4, 4);
        m_ioSplitter = new QSplitter(Qt::Vertical, io);
        m_ioSplitter->setChildrenCollapsible(false);
        m_input = new PayloadView(m_ioSplitter);
        m_input->setObjectName(QStringLiteral("inputPayload"));
        m_input->setTitle(tr("Input"));
        m_output = new PayloadView(m_ioSplitter);
        m_output->setObjectName(QStringLiteral("outputPayload"));
        m_output->setTitle(tr("Output"));
        m_ioSplitter->addWidget(m_input);
        m_ioSplitter->addWidget(m_output);
        ioLayout->addWidget(m_ioSplitter);
        m_tabPages[IoTab] = io;

        auto *parameters = new QWidget(m_tabs);
        auto *pl = new QVBoxLayout(parameters);
        pl->setContentsMargins(4, 4, 4, 4);
        m_parameterModel = new AttributesModel(this);
        m_parameterView = new CopyableTreeView(parameters);
        m_parameterView->setObjectName(QStringLiteral("parameterView"));
        m_parameterView->setModel(m_parameterModel);
        setupTable(m_parameterView);
        pl->addWidget(m_parameterView);
        parameters->setFocusProxy(m_parameterView);
        m_tabPages[ParametersTab] = parameters;

        m_tabPages[AttributesTab] = createAttributesPage();

        m_events = new EventListView(m_tabs);
        m_events->setObjectName(QStringLiteral("eventList"));
        m_tabPages[EventsTab] = m_events;
        m_documents = new DocumentListView(m_tabs);
        m_documents->setObjectName(QStringLiteral("documentList"));
        m_tabPages[DocumentsTab] = m_documents;
        m_links = new LinkListView(m_tabs);
        m_links->setObjectName(QStringLiteral("linkList"));
        m_tabPages[LinksTab] = m_links;
        connect(m_links, &LinkListView::linkedSpanActivated, this, &SpanInspector::linkedSpanActivated);

        for (int t = 0; t < TabCount; ++t) {
            m_tabPages[t]->setObjectName(m_tabPages[t]->objectName().isEmpty() ? QString::fromLatin1(kTabNames[t]) + QStringLiteral("Tab")
                                                                                : m_tabPages[t]->objectName());
            m_tabs->addTab(m_tabPages[t], QString());
        }
        io->setFocusProxy(m_output);
        connect(m_tabs, &QTabWidget::currentChanged, this, &SpanInspector::onCurrentTabChanged);
        l->addWidget(m_tabs, 1);
    }
    m_pages->addWidget(m_emptyPage);
    m_pages->addWidget(m_loadingPage);
    m_pages->addWidget(m_contentPage);
    showPage(m_emptyPage);
}

SpanInspector::~SpanInspector() = default;

QWidget *SpanInspector::createHeader()
{
    auto *header = new QWidget(m_contentPage);
    header->setObjectName(QStringLiteral("spanHeader"));
    auto *v = new QVBoxLayout(header);
    v->setContentsMargins(10, 8, 10, 8);
    v->setSpacing(6);

    auto *title = new QHBoxLayout;
    title->setSpacing(8);
    m_kindChip = new QLabel(header);
    m_kindChip->setObjectName(QStringLiteral("kindChip"));
    m_kindChip->setAlignment(Qt::AlignCenter);
    m_name = new QLabel(header);
    m_name->setObjectName(QStringLiteral("spanName"));
    m_name->setTextFormat(Qt::PlainText);
    m_name->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_name->setWordWrap(true);
    m_name->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    QFont nameFont = m_name->font();
    nameFont.setBold(true);
    nameFont = scaledFont(nameFont, 1.15);
    m_name->setFont(nameFont);
    title->addWidget(m_kindChip, 0, Qt::AlignTop);
    title->addWidget(m_name, 1);
    v->addLayout(title);

    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(12);
    grid->setVerticalSpacing(3);
    grid->setColumnStretch(1, 1);
    const std::array<QString, FactCount> labels = {tr("Model"), tr("Provider"), tr("Status"), tr("Duration"), tr("Tokens"), tr("Cost")};
    for (int i = 0; i < FactCount; ++i) {
        Fact &f = m_facts[i];
        f.label = new QLabel(labels[i], header);
        f.label->setForegroundRole(QPalette::PlaceholderText);
        f.label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
        f.value = makeValueLabel(header);
        f.value->setObjectName(QStringLiteral("fact%1").arg(i));
        grid->addWidget(f.label, i, 0);
        grid->addWidget(f.value, i, 1);
    }
    v->addLayout(grid);
    return header;
}

QWidget *SpanInspector::createAttributesPage()
{
    auto *page = new QWidget(m_tabs);
    auto *l = new QVBoxLayout(page);
    l->setContentsMargins(4, 4, 4, 4);
    l->setSpacing(4);

    auto *filterRow = new QHBoxLayout;
    m_filter = new QLineEdit(page);
    m_filter->setObjectName(QStringLiteral("attributeFilter"));
    m_filter->setPlaceholderText(tr("Filter by key or value"));
    m_filter->setClearButtonEnabled(true);
    m_filterInfo = new QLabel(page);
    m_filterInfo->setForegroundRole(QPalette::PlaceholderText);
    filterRow->addWidget(m_filter, 1);
    filterRow->addWidget(m_filterInfo);
    l->addLayout(filterRow);

    m_attributeModel = new AttributesModel(this);
    m_attributeProxy = new QSortFilterProxyModel(this);
    m_attributeProxy->setSourceModel(m_attributeModel);
    m_attributeProxy->setRecursiveFilteringEnabled(true);
    m_attributeProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_attributeProxy->setFilterKeyColumn(-1);
    m_attributeProxy->setFilterRole(Qt::EditRole);   // full values, not the shortened cells

    auto *splitter = new QSplitter(Qt::Vertical, page);
    splitter->setChildrenCollapsible(false);
    m_attributeView = new CopyableTreeView(splitter);
    m_attributeView->setObjectName(QStringLiteral("attributeView"));
    m_attributeView->setModel(m_attributeProxy);
    setupTable(m_attributeView);
    m_attributeValue = new PayloadView(splitter);
    m_attributeValue->setObjectName(QStringLiteral("attributeValue"));
    m_attributeValue->setVisible(false);
    splitter->addWidget(m_attributeView);
    splitter->addWidget(m_attributeValue);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    l->addWidget(splitter, 1);
    page->setFocusProxy(m_attributeView);
    setTabOrder(m_filter, m_attributeView);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_attributeProxy->setFilterFixedString(text);
        m_attributeView->expandAll();
        updateFilterInfo();
    });
    connect(m_attributeView->selectionModel(), &QItemSelectionModel::currentChanged, this, &SpanInspector::showSelectedAttribute);
    return page;
}

void SpanInspector::showPage(QWidget *page)
{
    m_pages->setCurrentWidget(page);
    setFocusProxy(page == m_contentPage ? m_tabs->currentWidget() : nullptr);
}

void SpanInspector::clear()
{
    m_span = Span();
    m_hasSpan = false;
    m_loading = false;
    m_loadingDelay.stop();
    m_messages->clear();
    m_input->clear();
    m_output->clear();
    m_parameterModel->clear();
    m_attributeModel->clear();
    m_attributeValue->clear();
    m_events->setEvents({}, 0);
    m_documents->setDocuments({});
    m_links->setLinks({});
    m_rendered.fill(true);
    showPage(m_emptyPage);
}

void SpanInspector::setLoading(bool loading)
{
    m_loading = loading;
    if (loading) {
        if (!m_loadingDelay.isActive() && m_pages->currentWidget() != m_loadingPage)
            m_loadingDelay.start();
    } else {
        m_loadingDelay.stop();
        showPage(m_hasSpan ? m_contentPage : m_emptyPage);
    }
}

void SpanInspector::setSpan(const Span &span, qint64 traceStartNs)
{
    m_span = span;
    m_traceStartNs = traceStartNs;
    m_hasSpan = true;
    m_loading = false;
    m_loadingDelay.stop();
    m_rendered.fill(false);
    renderHeader();
    updateTabs();
    showPage(m_contentPage);
}

QString SpanInspector::currentTabName() const
{
    const int i = m_tabs->currentIndex();
    return i >= 0 && i < TabCount ? QString::fromLatin1(kTabNames[i]) : QString();
}

int SpanInspector::tabIndex(const QString &name) const
{
    for (int t = 0; t < TabCount; ++t) {
        if (name == QLatin1String(kTabNames[t]))
            return t;
    }
    return -1;
}

void SpanInspector::setCurrentTabName(const QString &name)
{
    const int index = tabIndex(name);
    if (index < 0)
        return;
    m_preferredTab = name;
    if (m_tabs->isTabVisible(index))
        m_tabs->setCurrentIndex(index);
}

void SpanInspector::onCurrentTabChanged(int index)
{
    if (index < 0 || index >= TabCount)
        return;
    ensureRendered(index);
    if (m_pages->currentWidget() == m_contentPage)
        setFocusProxy(m_tabs->currentWidget());
    if (!m_updatingTabs) {
        m_preferredTab = QString::fromLatin1(kTabNames[index]);
        Q_EMIT currentTabNameChanged(m_preferredTab);
    }
}

void SpanInspector::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) {
        if (m_hasSpan)
            renderHeader();
    }
}

void SpanInspector::renderHeader()
{
    const Span &s = m_span;
    const QPalette pal = palette();
    const bool dark = isDarkPalette(pal);
    const QColor muted = mutedTextColor(pal);
    const QColor error = dark ? QColor(0xff6b6b) : QColor(0xd32f2f);
    const QColor ok = dark ? QColor(0x66bb6a) : QColor(0x2e7d32);
    const QColor warning = dark ? QColor(0xffb74d) : QColor(0xb35c00);
    const QLocale locale;
    const QString dot = QStringLiteral(" <span style=\"color:%1\">·</span> ").arg(muted.name());

    // Kind chip: the kind colour as background with a label colour that keeps contrast.
    const QColor kind = KindPalette::color(s.kind, dark);
    const QColor chipText = kind.lightnessF() > 0.62 ? QColor(0x1b1b1b) : QColor(Qt::white);
    m_kindChip->setText(spanKindName(s.kind).toUpper());
    m_kindChip->setStyleSheet(QStringLiteral("QLabel { background: %1; color: %2; border-radius: 3px; padding: 1px 6px;"
                                             " font-weight: 600; font-size: %3pt; }")
                                  .arg(kind.name(), chipText.name())
                                  .arg(std::max(7.0, font().pointSizeF() * 0.82), 0, 'f', 1));
    m_kindChip->setToolTip(s.operation.isEmpty() ? spanKindName(s.kind) : spanKindName(s.kind) + QStringLiteral(" · ") + s.operation);
    const QString name = s.name.isEmpty() ? s.spanId : s.name;
    m_name->setText(shortened(name, 300));
    m_name->setToolTip(name.size() > 300 ? shortened(name, 4000) : QString());

    std::array<QString, FactCount> values;
    if (!s.model().isEmpty()) {
        values[ModelFact] = esc(shortened(s.model(), 200));
        if (!s.requestModel.isEmpty() && !s.responseModel.isEmpty() && s.requestModel != s.responseModel)
            values[ModelFact] += QStringLiteral("  ") + colored(esc(tr("requested %1").arg(shortened(s.requestModel, 200))), muted);
    }
    if (!s.provider.isEmpty())
        values[ProviderFact] = esc(shortened(s.provider, 200));

    switch (s.status) {
    case StatusCode::Error:
        values[StatusFact] = colored(esc(tr("Error")), error, true);
        if (!s.statusMessage.isEmpty())
            values[StatusFact] += QStringLiteral("  ") + colored(esc(shortened(s.statusMessage)), error);
        break;
    case StatusCode::Ok:
        values[StatusFact] = colored(esc(tr("OK")), ok, true);
        break;
    case StatusCode::Unset:
        values[StatusFact] = colored(esc(tr("Unset")), muted);
        break;
    }
    m_facts[StatusFact].value->setToolTip(s.statusMessage.size() > kHeaderTextChars ? shortened(s.statusMessage, 4000) : QString());

    values[DurationFact] = s.hasEnded() ? esc(formatDuration(s.durationNs())) : colored(esc(tr("running")), warning);
    if (hasOffset(m_traceStartNs, s.startNs))
        values[DurationFact] += QStringLiteral("  ") + colored(esc(tr("starts at +%1").arg(formatDuration(s.startNs - m_traceStartNs))), muted);

    const TokenUsage &t = s.tokens;
    if (!t.isEmpty()) {
        QStringList parts;
        auto part = [&](qint64 n, const QString &what) {
            if (n >= 0)
                parts.append(esc(locale.toString(n)) + QLatin1Char(' ') + colored(esc(what), muted));
        };
        part(t.input, tr("in"));
        part(t.output, tr("out"));
        part(t.cachedInput, tr("cached"));
        part(t.cacheCreation, tr("cache write"));
        part(t.reasoning, tr("reasoning"));
        if (t.input < 0 && t.output < 0)
            part(t.effectiveTotal(), tr("total"));
        values[TokensFact] = parts.join(dot);
    }

    QString costTip;
    if (s.cost.isKnown()) {
        values[CostFact] = esc(costText(s.cost.totalUsd)) + QStringLiteral("  ")
            + colored(esc(s.cost.source == CostSource::Computed ? tr("computed") : tr("reported")), muted);
        if (s.cost.source == CostSource::Computed) {
            costTip = tr("Computed from the price table: input %1 + output %2")
                          .arg(costText(s.cost.inputUsd), costText(s.cost.outputUsd));
        } else {
            costTip = tr("Reported by the producer");
        }
    } else if (!s.model().isEmpty() && !t.isEmpty()) {
        values[CostFact] = colored(esc(tr("price missing")), warning);
        costTip = tr("The price table has no price for %1").arg(s.model());
    }
    m_facts[CostFact].value->setToolTip(costTip);

    for (int i = 0; i < FactCount; ++i) {
        m_facts[i].value->setText(values[i]);
        const bool visible = !values[i].isEmpty();
        m_facts[i].label->setVisible(visible);
        m_facts[i].value->setVisible(visible);
    }
}

void SpanInspector::updateTabs()
{
    const Span &s = m_span;
    const QLocale locale;
    auto counted = [&](const QString &title, qsizetype n) { return QStringLiteral("%1 (%2)").arg(title, locale.toString(qint64(n))); };

    const qsizetype messages = s.inputMessages.size() + s.outputMessages.size();
    const qsizetype parameters = s.parameters.size() + s.metadata.size() + s.tags.size();
    const qsizetype attributes = s.attributes.size() + s.resourceAttributes.size() + s.scopeAttributes.size();
    const std::array<bool, TabCount> visible = {
        messages > 0,
        !s.input.isEmpty() || !s.output.isEmpty(),
        parameters > 0,
        true,   // identifiers are always there
        !s.events.isEmpty(),
        !s.documents.isEmpty(),
        !s.links.isEmpty(),
    };
    const std::array<QString, TabCount> titles = {
        counted(tr("Messages"), messages),
        tr("Input / Output"),
        s.parameters.isEmpty() ? counted(tr("Metadata"), parameters) : counted(tr("Parameters"), parameters),
        counted(tr("Attributes"), attributes),
        counted(tr("Events"), s.events.size()),
        counted(tr("Documents"), s.documents.size()),
        counted(tr("Links"), s.links.size()),
    };

    m_updatingTabs = true;
    for (int t = 0; t < TabCount; ++t) {
        m_tabs->setTabText(t, titles[t]);
        m_tabs->setTabVisible(t, visible[t]);
    }
    // Qt 6.4's QTabBar can keep a stale layout (a gap where a hidden tab was, a newly shown tab
    // missing) while the bar itself is hidden; re-setting the elide mode forces a full relayout.
    m_tabs->tabBar()->setElideMode(m_tabs->tabBar()->elideMode());
    int target = tabIndex(m_preferredTab);
    if (target < 0 || !visible[target]) {
        target = -1;
        for (int t = 0; t < TabCount && target < 0; ++t) {
            if (visible[t])
                target = t;
        }
    }
    if (m_tabs->currentIndex() != target)
        m_tabs->setCurrentIndex(target);
    m_updatingTabs = false;
    ensureRendered(m_tabs->currentIndex());
}

void SpanInspector::ensureRendered(int tab)
{
    if (tab < 0 || tab >= TabCount || m_rendered[tab] || !m_hasSpan)
        return;
    m_rendered[tab] = true;
    const Span &s = m_span;
    switch (tab) {
    case MessagesTab:
        m_messages->setMessages(s.inputMessages, s.outputMessages);
        break;
    case IoTab:
        m_input->setPayload(s.input.value, s.input.mimeType);
        m_output->setPayload(s.output.value, s.output.mimeType);
        m_input->setVisible(!s.input.isEmpty());
        m_output->setVisible(!s.output.isEmpty());
        m_tabPages[IoTab]->setFocusProxy(s.output.isEmpty() ? m_input : m_output);
        break;
    case ParametersTab: {
        const Attributes params = AttributesModel::fromVariantMap(s.parameters);
        const Attributes metadata = AttributesModel::fromVariantMap(s.metadata);
        Attributes tags;
        for (const QString &tag : s.tags)
            tags.append({tr("tag"), tag});
        if (metadata.isEmpty() && tags.isEmpty())
            m_parameterModel->setAttributes(params);
        else
            m_parameterModel->setSections({{tr("Parameters"), params}, {tr("Metadata"), metadata}, {tr("Tags"), tags}});
        m_parameterView->expandAll();
        fitKeyColumn(m_parameterView);
        break;
    }
    case AttributesTab: {
        Attributes identifiers;
        auto add = [&](const QString &key, const QString &value) {
            if (!value.isEmpty())
                identifiers.append({key, value});
        };
        add(tr("Trace ID"), s.traceId);
        add(tr("Span ID"), s.spanId);
        add(tr("Parent span ID"), s.parentSpanId);
        add(tr("Service"), s.serviceName);
        add(tr("Scope"), s.scopeVersion.isEmpty() ? s.scopeName : s.scopeName + QLatin1Char(' ') + s.scopeVersion);
        add(tr("Operation"), s.operation);
        add(tr("Tool"), s.toolName);
        add(tr("Agent"), s.agentName);
        add(tr("Session"), s.sessionId);
        add(tr("User"), s.userId);
        add(tr("Status message"), s.statusMessage);
        m_attributeModel->setSections({
            {tr("Span attributes"), s.attributes},
            {tr("Resource attributes"), s.resourceAttributes},
            {tr("Scope attributes"), s.scopeAttributes},
            {tr("Identifiers"), identifiers},
        });
        m_attributeView->expandAll();
        fitKeyColumn(m_attributeView);
        m_attributeValue->clear();
        m_attributeValue->setVisible(false);
        updateFilterInfo();
        break;
    }
    case EventsTab:
        m_events->setEvents(s.events, s.startNs);
        break;
    case DocumentsTab:
        m_documents->setDocuments(s.documents);
        break;
    case LinksTab:
        m_links->setLinks(s.links);
        break;
    }
}

void SpanInspector::updateFilterInfo()
{
    if (m_filter->text().isEmpty()) {
        m_filterInfo->clear();
        return;
    }
    int shown = 0;
    for (int g = 0; g < m_attributeProxy->rowCount(); ++g) {
        const QModelIndex group = m_attributeProxy->index(g, 0);
        shown += group.data(AttributesModel::IsSectionRole).toBool() ? m_attributeProxy->rowCount(group) : 1;
    }
    m_filterInfo->setText(tr("%1 of %2").arg(shown).arg(m_attributeModel->attributeCount()));
}

void SpanInspector::showSelectedAttribute()
{
    const QModelIndex current = m_attributeView->currentIndex();
    if (!current.isValid() || current.data(AttributesModel::IsSectionRole).toBool()) {
        m_attributeValue->setVisible(false);
        return;
    }
    const QModelIndex keyIndex = current.siblingAtColumn(AttributesModel::KeyColumn);
    m_attributeValue->setTitle(keyIndex.data(Qt::EditRole).toString());
    m_attributeValue->setPayload(current.data(AttributesModel::ValueTextRole).toString());
    m_attributeValue->setVisible(true);
}

} // namespace spanscope
