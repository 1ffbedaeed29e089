#pragma once

#include "trace/span.h"

#include <QTimer>
#include <QWidget>

#include <array>

class QGridLayout;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QSplitter;
class QStackedWidget;
class QTabWidget;

namespace spanscope {

class AttributesModel;
class CopyableTreeView;
class DocumentListView;
class EventListView;
class LinkListView;
class MessageView;
class PayloadView;

// The explorer's right-hand pane: everything about the selected span. A header (name, kind chip,
// model, provider, status, timing, tokens, cost) above tabs that appear only when they have
// something to show, with counts in their titles: Messages, Input / Output, Parameters,
// Attributes, Events, Documents, Links. Tabs are filled when first shown, and every view shows a
// bounded first part of huge values, so selecting a span with multi-MB payloads stays instant.
class SpanInspector : public QWidget
{
    Q_OBJECT
public:
    explicit SpanInspector(QWidget *parent = nullptr);
    ~SpanInspector() override;

    // traceStartNs: start of the span's trace, for the "starts at +x" offset (0 if unknown).
    void setSpan(const Span &span, qint64 traceStartNs);
    void clear();                  // back to the empty state
    // Shows a loading state until setSpan() or setLoading(false). It appears only after
    // LoadingDelayMs, so quick fetches do not flash it while the user arrows through spans.
    void setLoading(bool loading);
    static constexpr int LoadingDelayMs = 150;
    bool isLoading() const { return m_loading; }
    bool hasSpan() const { return m_hasSpan; }

    // Tabs by stable, untranslated name: messages, io, parameters, attributes, events, documents,
    // links. The last one the user chose is selected again for the next span when it is shown.
    QString currentTabName() const;
    void setCurrentTabName(const QString &name);

Q_SIGNALS:
    void currentTabNameChanged(const QString &name);
    void linkedSpanActivated(const QString &traceId, const QString &spanId);

protected:
    void changeEvent(QEvent *event) override;

private:
    enum Tab { MessagesTab, IoTab, ParametersTab, AttributesTab, EventsTab, DocumentsTab, LinksTab, TabCount };
    struct Fact {
        QLabel *label = nullptr;
        QLabel *value = nullptr;
    };
    enum FactRow { ModelFact, ProviderFact, StatusFact, DurationFact, TokensFact, CostFact, FactCount };

    QWidget *createHeader();
    QWidget *createAttributesPage();
    void renderHeader();
    void updateTabs();
    void ensureRendered(int tab);
    void onCurrentTabChanged(int index);
    void showPage(QWidget *page);
    void updateFilterInfo();
    void showSelectedAttribute();
    int tabIndex(const QString &name) const;

    QStackedWidget *m_pages = nullptr;
    QWidget *m_emptyPage = nullptr;
    QWidget *m_loadingPage = nullptr;
    QWidget *m_contentPage = nullptr;

    QLabel *m_kindChip = nullptr;
    QLabel *m_name = nullptr;
    std::array<Fact, FactCount> m_facts;

    QTabWidget *m_tabs = nullptr;
    std::array<QWidget *, TabCount> m_tabPages{};
    MessageView *m_messages = nullptr;
    QSplitter *m_ioSplitter = nullptr;
    PayloadView *m_input = nullptr;
    PayloadView *m_output = nullptr;
    CopyableTreeView *m_parameterView = nullptr;
    AttributesModel *m_parameterModel = nullptr;
    QLineEdit *m_filter = nullptr;
    QLabel *m_filterInfo = nullptr;
    CopyableTreeView *m_attributeView = nullptr;
    AttributesModel *m_attributeModel = nullptr;
    QSortFilterProxyModel *m_attributeProxy = nullptr;
    PayloadView *m_attributeValue = nullptr;
    EventListView *m_events = nullptr;
    DocumentListView *m_documents = nullptr;
    LinkListView *m_links = nullptr;

    Span m_span;
    qint64 m_traceStartNs = 0;
    bool m_hasSpan = false;
    bool m_loading = false;
    QTimer m_loadingDelay;
    bool m_updatingTabs = false;
    std::array<bool, TabCount> m_rendered{};
    QString m_preferredTab;
};

} // namespace spanscope
