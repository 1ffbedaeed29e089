#include "inspectorfixtures.h"

#include "widgets/copyabletreeview.h"
#include "widgets/messageview.h"
#include "widgets/payloadview.h"
#include "widgets/safetextbrowser.h"
#include "widgets/spaninspector.h"

#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>
#include <QToolButton>
#include <QTreeView>

using namespace spanscope;

namespace {

QStringList visibleTabTitles(const QTabWidget *tabs)
{
    QStringList out;
    for (int i = 0; i < tabs->count(); ++i) {
        if (tabs->isTabVisible(i))
            out.append(tabs->tabText(i));
    }
    return out;
}

QString headerText(const SpanInspector &inspector)
{
    QStringList parts;
    const QWidget *header = inspector.findChild<QWidget *>(QStringLiteral("spanHeader"));
    for (const QLabel *label : header->findChildren<QLabel *>()) {
        if (label->isVisible())
            parts.append(label->text());
    }
    return parts.join(QLatin1Char('\n'));
}

int visibleRows(const QTreeView *view, const QModelIndex &parent = {})
{
    int n = 0;
    const QAbstractItemModel *m = view->model();
    for (int r = 0; r < m->rowCount(parent); ++r) {
        const QModelIndex i = m->index(r, 0, parent);
        ++n;
        if (view->isExpanded(i))
            n += visibleRows(view, i);
    }
    return n;
}

bool createsNetworkObjects(const QObject *root)
{
    for (const QObject *o : root->findChildren<QObject *>()) {
        if (QByteArray(o->metaObject()->className()).contains("QNetworkAccessManager"))
            return true;
    }
    return false;
}

} // namespace

class TestSpanInspector : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_inspector = new SpanInspector;
        m_inspector->resize(640, 760);
        m_inspector->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_inspector));
        m_tabs = m_inspector->findChild<QTabWidget *>();
        QVERIFY(m_tabs);
    }
    void cleanup()
    {
        delete m_inspector;
        m_inspector = nullptr;
    }

    void emptyAndLoadingStates()
    {
        auto *empty = m_inspector->findChild<QLabel *>(QStringLiteral("emptyStateLabel"));
        auto *loading = m_inspector->findChild<QLabel *>(QStringLiteral("loadingStateLabel"));
        QVERIFY(empty->isVisible());
        QCOMPARE(empty->text(), QStringLiteral("Select a span to see its inputs, outputs and attributes"));
        QVERIFY(!m_tabs->isVisible());

        m_inspector->setLoading(true);
        QVERIFY(m_inspector->isLoading());
        QTRY_VERIFY(loading->isVisible());
        m_inspector->setLoading(false);
        QVERIFY(empty->isVisible());

        // A quick fetch never shows the loading state.
        m_inspector->setLoading(true);
        m_inspector->setSpan(fixtures::richLlmSpan(), fixtures::kTraceStart);
        QVERIFY(!m_inspector->isLoading());
        QTest::qWait(SpanInspector::LoadingDelayMs * 2);
        QVERIFY(m_tabs->isVisible());
        QVERIFY(!loading->isVisible());
        // A slow one does, and the content comes back when it is done.
        m_inspector->setLoading(true);
        QVERIFY(m_tabs->isVisible());
        QTRY_VERIFY(loading->isVisible());
        m_inspector->setLoading(false);
        QVERIFY(m_tabs->isVisible());

        m_inspector->clear();
        QVERIFY(empty->isVisible());
        QVERIFY(!m_inspector->hasSpan());
    }

    void header()
    {
        m_inspector->setSpan(fixtures::richLlmSpan(), fixtures::kTraceStart);
        const QString text = headerText(*m_inspector);
        QVERIFY2(text.contains(QStringLiteral("ChatOpenAI")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("LLM")));
        QVERIFY(text.contains(QStringLiteral("gpt-4o-2024-08-06")));
        QVERIFY(text.contains(QStringLiteral("requested gpt-4o")));
        QVERIFY(text.contains(QStringLiteral("openai")));
        QVERIFY(text.contains(QStringLiteral("1.84 s")));
        QVERIFY(text.contains(QStringLiteral("starts at +120 ms")));
        QVERIFY(text.contains(QLocale().toString(1234) + QStringLiteral(" <span")));
        QVERIFY(text.contains(QStringLiteral("cached")));
        QVERIFY(text.contains(QStringLiteral("reasoning")));
        QVERIFY(text.contains(QStringLiteral("$0.0087")));
        QVERIFY(text.contains(QStringLiteral("computed")));

        Span reported = fixtures::richLlmSpan();
        reported.cost.source = CostSource::Reported;
        m_inspector->setSpan(reported, fixtures::kTraceStart);
        QVERIFY(headerText(*m_inspector).contains(QStringLiteral("reported")));

        Span unpriced = fixtures::richLlmSpan();
        unpriced.cost = Cost();
        m_inspector->setSpan(unpriced, fixtures::kTraceStart);
        QVERIFY(headerText(*m_inspector).contains(QStringLiteral("price missing")));
        QVERIFY(!headerText(*m_inspector).contains(QStringLiteral("$0")));

        const Span tool = fixtures::toolSpan();
        m_inspector->setSpan(tool, fixtures::kTraceStart);
        const QString toolText = headerText(*m_inspector);
        QVERIFY(toolText.contains(QStringLiteral("TOOL")));
        QVERIFY(toolText.contains(QStringLiteral("Error")));
        QVERIFY(toolText.contains(QStringLiteral("weather service did not answer")));
        QVERIFY(!toolText.contains(QStringLiteral("price missing")));
        QVERIFY(!toolText.contains(QStringLiteral("Tokens")));
    }

    void messages()
    {
        m_inspector->setSpan(fixtures::richLlmSpan(), fixtures::kTraceStart);
        QCOMPARE(m_inspector->currentTabName(), QStringLiteral("messages"));
        auto *view = m_inspector->findChild<MessageView *>();
        QVERIFY(view->isVisible());
        const QString text = view->browser()->toPlainText();
        for (const char *expected : {"system", "user", "assistant", "tool", "You are a helpful support agent", "get_weather",
                                     "call_9f2c", "\"city\": \"Paris\"", "\"unit\": \"celsius\"", "result of call_9f2c",
                                     "finish: stop", "Paris today", "bring an umbrella"}) {
            QVERIFY2(text.contains(QString::fromUtf8(expected)), expected);
        }
        // Input before output, with a separator naming the output.
        QVERIFY(text.indexOf(QStringLiteral("Output")) > text.indexOf(QStringLiteral("get_weather")));
        QVERIFY(text.indexOf(QStringLiteral("Paris today")) > text.indexOf(QStringLiteral("Output")));
        // Markdown rendered: the heading marker is gone.
        QVERIFY(!text.contains(QStringLiteral("## Paris")));
        view->setMarkdownEnabled(false);
        QVERIFY(view->browser()->toPlainText().contains(QStringLiteral("## Paris")));
    }

    void longMessageShowsAllOnRequest()
    {
        Span s = fixtures::richLlmSpan();
        const QString longText = QString(100 * 1024, QLatin1Char('w'));
        s.outputMessages = {{QStringLiteral("assistant"), longText, {}, {}, {}, {}}};
        m_inspector->setSpan(s, fixtures::kTraceStart);
        auto *view = m_inspector->findChild<MessageView *>();
        QVERIFY(!view->browser()->toPlainText().contains(longText));
        QVERIFY2(view->browser()->toPlainText().contains(QStringLiteral("Show all (100.0 kB)")), qPrintable(view->browser()->toPlainText().right(60)));
        Q_EMIT view->browser()->anchorClicked(QUrl(QStringLiteral("spanscope:message/4")));
        QString shown = view->browser()->toPlainText();
        shown.remove(QChar(0x200b));   // break opportunities added for layout
        QVERIFY(shown.contains(longText));
        QVERIFY(!shown.contains(QStringLiteral("Show all")));
    }

    void messagesToPlainText()
    {
        const Span s = fixtures::richLlmSpan();
        const QString text = MessageView::messagesToPlainText(s.inputMessages);
        QVERIFY(text.startsWith(QStringLiteral("[system]\nYou are a helpful support agent")));
        QVERIFY(text.contains(QStringLiteral("[assistant] (finish: tool_calls)\n-> get_weather (call_9f2c)\n{\n  \"city\": \"Paris\",")));
        QVERIFY(text.contains(QStringLiteral("[tool get_weather] (result of call_9f2c)\n{\"city\":\"Paris\"")));
        QCOMPARE(MessageView::messagesToPlainText({}), QString());
    }

    void tabsFollowTheSpan()
    {
        m_inspector->setSpan(fixtures::richLlmSpan(), fixtures::kTraceStart);
        QCOMPARE(visibleTabTitles(m_tabs), QStringList({"Messages (5)", "Input / Output", "Parameters (7)", "Attributes (23)",
                                                        "Events (3)", "Links (1)"}));
        m_inspector->setSpan(fixtures::toolSpan(), fixtures::kTraceStart);
        QCOMPARE(visibleTabTitles(m_tabs), QStringList({"Input / Output", "Attributes (2)"}));
        QCOMPARE(m_inspector->currentTabName(), QStringLiteral("io"));
        m_inspector->setSpan(fixtures::retrieverSpan(), fixtures::kTraceStart);
        QCOMPARE(visibleTabTitles(m_tabs), QStringList({"Input / Output", "Attributes (0)", "Documents (2)"}));
    }

    void remembersTheChosenTab()
    {
        QSignalSpy changed(m_inspector, &SpanInspector::currentTabNameChanged);
        m_inspector->setSpan(fixtures::richLlmSpan(), fixtures::kTraceStart);
        // The user clicks the Events tab.
        QTabBar *bar = m_tabs->tabBar();
        QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(4).center());
        QCOMPARE(m_inspector->currentTabName(), QStringLiteral("events"));
        QCOMPARE(changed.last().at(0).toString(), QStringLiteral("events"));

        // A span without events falls back to the first tab, without forgetting the choice.
        m_inspector->setSpan(fixtures::toolSpan(), fixtures::kTraceStart);
        QCOMPARE(m_inspector->currentTabName(), QStringLiteral("io"));
        m_inspector->setSpan(fixtures::richLlmSpan(), fixtures::kTraceStart);
        QCOMPARE(m_inspector->currentTabName(), QStringLiteral("events"));

        m_inspector->setCurrentTabName(QStringLiteral("attributes"));
        m_inspector->setSpan(fixtures::toolSpan(), fixtures::kTraceStart);
        QCOMPARE(m_inspector->currentTabName(), QStringLiteral("attributes"));
    }

    void attributeFilterNarrowsRows()
    {
        m_inspector->setSpan(fixtures::richLlmSpan(), fixtures::kTraceStart);
        m_inspector->setCurrentTabName(QStringLiteral("attributes"));
        auto *view = m_inspector->findChild<CopyableTreeView *>(QStringLiteral("attributeView"));
        auto *filter = m_inspector->findChild<QLineEdit *>(QStringLiteral("attributeFilter"));
        QVERIFY(view->isVisible());
        // 4 sections + 17 span + 5 resource + 1 scope + identifiers
        const int all = visibleRows(view);
        QVERIFY2(all > 27, qPrintable(QString::number(all)));
        QTest::keyClicks(filter, QStringLiteral("token_count"));
        QCOMPARE(visibleRows(view), 4);   // the span section and its three token counts
        filter->clear();
        QTest::keyClicks(filter, QStringLiteral("PYTHON"));   // values match too, case-insensitively
        QCOMPARE(visibleRows(view), 2);
        filter->clear();
        QCOMPARE(visibleRows(view), all);
    }

    void ctrlCCopiesSelectedCells()
    {
        m_inspector->setSpan(fixtures::richLlmSpan(), fixtures::kTraceStart);
        m_inspector->setCurrentTabName(QStringLiteral("attributes"));
        auto *view = m_inspector->findChild<CopyableTreeView *>(QStringLiteral("attributeView"));
        m_inspector->setFocus();
        QTRY_VERIFY(view->hasFocus());
        const QModelIndex section = view->model()->index(0, 0);
        const QModelIndex key = view->model()->index(1, 0, section);
        view->selectionModel()->select(QItemSelection(key, key.siblingAtColumn(1)), QItemSelectionModel::ClearAndSelect);
        QTest::keySequence(view, QKeySequence::Copy);
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("llm.model_name\tgpt-4o-2024-08-06"));
        // The value of the selected row also appears in full below the table.
        view->setCurrentIndex(view->model()->index(12, 1, section));
        auto *value = m_inspector->findChild<PayloadView *>(QStringLiteral("attributeValue"));
        QVERIFY(value->isVisible());
        QCOMPARE(value->value(), QStringLiteral("You are a helpful support agent for Acme Corp.\nAnswer briefly and cite the knowledge base."));
    }

    void focusGoesToTheCurrentTab()
    {
        m_inspector->setSpan(fixtures::richLlmSpan(), fixtures::kTraceStart);
        m_inspector->activateWindow();
        m_inspector->setFocus(Qt::OtherFocusReason);
        QTRY_VERIFY(m_inspector->hasFocus());
        auto *view = m_inspector->findChild<MessageView *>();
        QVERIFY(view->browser()->hasFocus());
    }

    void hugeOutputIsTruncatedAndFast()
    {
        Span s = fixtures::toolSpan();
        QString huge;
        huge.reserve(20 * 1024 * 1024);
        const QString line = QStringLiteral("log line with some text, and more text to fill it up nicely 0123456789\n");
        while (huge.size() < 20 * 1024 * 1024)
            huge += line;
        huge.truncate(20 * 1024 * 1024);
        s.output = {huge, QString()};
        s.input = {QStringLiteral("{\"big\":\"") + QString(12 * 1024 * 1024, QLatin1Char('x')) + QStringLiteral("\"}"),
                   QStringLiteral("application/json")};
        s.attributes.append({"huge.attribute", huge});
        s.outputMessages = {{QStringLiteral("assistant"), huge, {}, {}, {}, {}}};

        m_inspector->setCurrentTabName(QStringLiteral("io"));
        QElapsedTimer timer;
        timer.start();
        m_inspector->setSpan(s, fixtures::kTraceStart);
        QCoreApplication::processEvents();
        const qint64 elapsed = timer.elapsed();
        QVERIFY2(elapsed < 1000, qPrintable(QStringLiteral("setSpan took %1 ms").arg(elapsed)));

        auto *output = m_inspector->findChild<PayloadView *>(QStringLiteral("outputPayload"));
        QVERIFY(output->isVisible());
        QVERIFY(output->isTruncated());
        auto *showAll = output->findChild<QToolButton *>(QStringLiteral("showAllButton"));
        QVERIFY(showAll->isVisible());
        QCOMPARE(showAll->text(), QStringLiteral("Show all (20.0 MB)"));
        auto *plain = output->findChild<QPlainTextEdit *>();
        QVERIFY(plain->toPlainText().size() <= 64 * 1024);

        // Above the tree limit, JSON is shown as text, also truncated.
        auto *input = m_inspector->findChild<PayloadView *>(QStringLiteral("inputPayload"));
        QCOMPARE(input->display(), PayloadView::Display::PlainText);
        QVERIFY(input->isTruncated());

        for (const QString &tab : {QStringLiteral("messages"), QStringLiteral("attributes")}) {
            timer.restart();
            m_inspector->setCurrentTabName(tab);
            QCoreApplication::processEvents();
            QVERIFY2(timer.elapsed() < 1000, qPrintable(tab + QString::number(timer.elapsed())));
        }
        auto *messages = m_inspector->findChild<MessageView *>();
        QVERIFY(messages->browser()->toPlainText().size() < 64 * 1024);
        QVERIFY(messages->browser()->toPlainText().contains(QStringLiteral("Show all (20.0 MB)")));
        timer.restart();
        m_inspector->grab();
        QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
    }

    void markdownNeverLoadsResources()
    {
        QTemporaryDir dir;
        QImage png(64, 48, QImage::Format_RGB32);
        png.fill(Qt::red);
        const QString pngPath = dir.filePath(QStringLiteral("secret.png"));
        QVERIFY(png.save(pngPath));
        const QString markdown = QStringLiteral("Look: ![x](http://example.com/a.png) and ![local](file://%1)\n\n"
                                                "<img src=\"file:///etc/passwd\"> <img src=\"file://%1\">\n\n"
                                                "[a link](http://example.com/page)")
                                     .arg(pngPath);
        Span s = fixtures::richLlmSpan();
        s.outputMessages = {{QStringLiteral("assistant"), markdown, {}, {}, {}, {}}};
        s.output = {markdown, QStringLiteral("text/markdown")};
        m_inspector->setSpan(s, fixtures::kTraceStart);

        auto *messages = m_inspector->findChild<MessageView *>();
        m_inspector->grab();   // lays out and paints everything visible
        QCOMPARE(messages->browser()->resourceRequestCount(), 0);
        const QString text = messages->browser()->toPlainText();
        QVERIFY2(text.contains(QStringLiteral("[image: http://example.com/a.png]")) || text.contains(QStringLiteral("http://example.com/a.png")),
                 qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("<img src=\"file:///etc/passwd\">")));   // raw HTML shown, not interpreted

        m_inspector->setCurrentTabName(QStringLiteral("io"));
        auto *output = m_inspector->findChild<PayloadView *>(QStringLiteral("outputPayload"));
        QCOMPARE(output->display(), PayloadView::Display::Markdown);
        auto *browser = output->findChild<SafeTextBrowser *>();
        m_inspector->grab();
        QCOMPARE(browser->resourceRequestCount(), 0);
        QVERIFY(!createsNetworkObjects(m_inspector));

        // Whatever reaches loadResource (here: HTML) is refused with a placeholder, so
        // QTextDocument does not fall back to reading the file either.
        SafeTextBrowser direct;
        direct.resize(300, 200);
        QSignalSpy blocked(&direct, &SafeTextBrowser::resourceBlocked);
        direct.setHtml(QStringLiteral("<img src=\"file://%1\"><img src=\"http://example.com/b.png\">"
                                      "<link rel=\"stylesheet\" href=\"file:///etc/passwd\">").arg(pngPath));
        direct.grab();
        QVERIFY(direct.resourceRequestCount() >= 2);
        QCOMPARE(direct.resourceRequestCount(), blocked.count());
        const QVariant resource = direct.document()->resource(QTextDocument::ImageResource, QUrl::fromLocalFile(pngPath));
        QVERIFY(!resource.isValid() || resource.value<QImage>().size() != png.size());
        QVERIFY(!createsNetworkObjects(&direct));
    }

    void linksAreNotFollowed()
    {
        QList<QUrl> asked;
        SafeTextBrowser::setLinkPrompt([&](QWidget *, const QUrl &url) {
            asked.append(url);
            return SafeTextBrowser::LinkAction::Copy;
        });
        SafeTextBrowser browser;
        QSignalSpy internal(&browser, &SafeTextBrowser::internalLinkActivated);
        Q_EMIT browser.anchorClicked(QUrl(QStringLiteral("https://example.com/x")));
        Q_EMIT browser.anchorClicked(QUrl(QStringLiteral("spanscope:message/2")));
        SafeTextBrowser::setLinkPrompt(nullptr);
        QCOMPARE(asked, QList<QUrl>({QUrl(QStringLiteral("https://example.com/x"))}));
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("https://example.com/x"));
        QCOMPARE(internal.count(), 1);
        QVERIFY(browser.source().isEmpty());
    }

    void hostileContentDoesNotCrash()
    {
        Span s = fixtures::richLlmSpan();
        constexpr int depth = 10000;
        const QString deep = QString(depth, QLatin1Char('[')) + QString(depth, QLatin1Char(']'));
        const QString deepObjects = QString(depth, QLatin1Char('{')).replace(QLatin1String("{"), QLatin1String("{\"a\":")) + QStringLiteral("1")
            + QString(depth, QLatin1Char('}'));
        const QString invalidUtf8 = QString::fromUtf8("\xff\xfe\xc3\x28 \xed\xa0\x80 \xf0\x28\x8c\x28 ok");
        QString loneSurrogates = QStringLiteral("a");
        loneSurrogates += QChar(0xd800);
        loneSurrogates += QChar(0);
        loneSurrogates += QChar(0xdc00);
        s.input = {deep, QStringLiteral("application/json")};
        s.output = {deepObjects, QString()};
        s.inputMessages = {{QStringLiteral("user"), invalidUtf8 + loneSurrogates, {}, {}, {}, {}},
                           {QStringLiteral("assistant"), loneSurrogates, {{QStringLiteral("c1"), invalidUtf8, deep}}, {}, {}, {}},
                           {QStringLiteral("tool"), deepObjects, {}, QStringLiteral("c1"), {}, {}}};
        s.attributes.append({invalidUtf8, loneSurrogates});
        s.attributes.append({"deep", deep});
        s.events.append({s.startNs, invalidUtf8, {{"exception.stacktrace", loneSurrogates}}});
        m_inspector->setSpan(s, fixtures::kTraceStart);
        for (const char *name : {"messages", "io", "parameters", "attributes", "events", "links"}) {
            const QString tab = QString::fromLatin1(name);
            m_inspector->setCurrentTabName(tab);
            QCOMPARE(m_inspector->currentTabName(), tab);
            QVERIFY(!m_inspector->grab().isNull());
        }
        auto *input = m_inspector->findChild<PayloadView *>(QStringLiteral("inputPayload"));
        QCOMPARE(input->display(), PayloadView::Display::Tree);
        auto *tree = input->findChild<QTreeView *>();
        tree->expandRecursively(tree->model()->index(0, 0), 50);
        QVERIFY(!m_inspector->grab().isNull());
    }

private:
    SpanInspector *m_inspector = nullptr;
    QTabWidget *m_tabs = nullptr;
};

QTEST_MAIN(TestSpanInspector)
#include "tst_spaninspector.moc"
