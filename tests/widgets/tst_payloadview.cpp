#include "widgets/jsontreeview.h"
#include "widgets/payloadview.h"
#include "widgets/safetextbrowser.h"

#include "items/jsontreemodel.h"

#include <QApplication>
#include <QLabel>
#include <QClipboard>
#include <QPlainTextEdit>
#include <QTest>
#include <QToolButton>

using namespace spanscope;

class TestPayloadView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_view = new PayloadView;
        m_view->resize(500, 400);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view));
    }
    void cleanup()
    {
        delete m_view;
        m_view = nullptr;
    }

    void chooseFormat_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("mime");
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("display");
        using F = PayloadView::Format;
        using D = PayloadView::Display;
        QTest::addRow("json by mime") << "{\"a\": 1}" << "application/json" << int(F::Json) << int(D::Tree);
        QTest::addRow("json by content") << "  [1, 2]" << "" << int(F::Json) << int(D::Tree);
        QTest::addRow("json-looking text") << "{not json" << "" << int(F::Text) << int(D::PlainText);
        QTest::addRow("invalid json with json mime") << "{\"a\":" << "application/json" << int(F::Text) << int(D::PlainText);
        QTest::addRow("scalar json") << "42" << "application/json" << int(F::Text) << int(D::PlainText);
        QTest::addRow("plain") << "hello" << "text/plain" << int(F::Text) << int(D::PlainText);
        QTest::addRow("markdown mime") << "# hi" << "text/markdown" << int(F::Text) << int(D::Markdown);
        QTest::addRow("empty") << "" << "" << int(F::Empty) << int(D::None);
    }
    void chooseFormat()
    {
        QFETCH(QString, value);
        QFETCH(QString, mime);
        QFETCH(int, format);
        QFETCH(int, display);
        m_view->setPayload(value, mime);
        QCOMPARE(int(m_view->format()), format);
        QCOMPARE(int(m_view->display()), display);
        QVERIFY(!m_view->isTruncated());
    }

    void markdownMimeDoesNotStick()
    {
        m_view->setPayload(QStringLiteral("# a"), QStringLiteral("text/markdown"));
        QCOMPARE(m_view->display(), PayloadView::Display::Markdown);
        m_view->setPayload(QStringLiteral("# b"), QStringLiteral("text/plain"));
        QCOMPARE(m_view->display(), PayloadView::Display::PlainText);
        m_view->setTitle(QStringLiteral("<b>key</b>"));
        auto labels = m_view->findChildren<QLabel *>();
        QVERIFY(std::any_of(labels.cbegin(), labels.cend(), [](const QLabel *l) {
            return l->text() == QLatin1String("<b>key</b>") && l->textFormat() == Qt::PlainText;
        }));
    }

    void treeExpandsFirstLevelsAndTogglesToText()
    {
        m_view->setPayload(QString::fromUtf8("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":1}"), QString());
        auto *tree = m_view->findChild<JsonTreeView *>();
        QVERIFY(tree->isVisible());
        const QModelIndex messages = tree->model()->index(0, 0);
        QVERIFY(tree->isExpanded(messages));
        QVERIFY(tree->isExpanded(tree->model()->index(0, 0, messages)));

        QToolButton *text = nullptr;
        for (QToolButton *b : m_view->findChildren<QToolButton *>()) {
            if (b->text() == QLatin1String("Text"))
                text = b;
        }
        QVERIFY(text && text->isVisible());
        text->click();
        QCOMPARE(m_view->display(), PayloadView::Display::PlainText);
        QCOMPARE(m_view->findChild<QPlainTextEdit *>()->toPlainText(),
                 QStringLiteral("{\n  \"messages\": [\n    {\n      \"role\": \"user\",\n      \"content\": \"hi\"\n    }\n  ],\n  \"n\": 1\n}"));
        // The choice sticks for the next payload.
        m_view->setPayload(QStringLiteral("[1]"), QString());
        QCOMPARE(m_view->display(), PayloadView::Display::PlainText);
        m_view->setTreePreferred(true);
        QCOMPARE(m_view->display(), PayloadView::Display::Tree);
    }

    void showAllAndCopy()
    {
        QString big;
        for (int i = 0; i < 40000; ++i)
            big += QStringLiteral("line %1\n").arg(i);
        m_view->setPayload(big, QString());
        QVERIFY(m_view->isTruncated());
        auto *showAll = m_view->findChild<QToolButton *>(QStringLiteral("showAllButton"));
        QVERIFY(showAll->isVisible());
        QVERIFY(showAll->text().startsWith(QStringLiteral("Show all (")));
        auto *plain = m_view->findChild<QPlainTextEdit *>();
        QVERIFY(plain->toPlainText().size() < big.size());
        showAll->click();
        QVERIFY(!m_view->isTruncated());
        QVERIFY(!showAll->isVisible());
        QCOMPARE(plain->toPlainText(), big);

        for (QToolButton *b : m_view->findChildren<QToolButton *>()) {
            if (b->text() == QLatin1String("Copy"))
                b->click();
        }
        QCOMPARE(QGuiApplication::clipboard()->text(), big);
    }

    void showAllBreaksGiantLines()
    {
        const QString line(3 * 1024 * 1024, QLatin1Char('z'));
        m_view->setPayload(line, QString());
        QVERIFY(m_view->isTruncated());
        m_view->showAll();
        auto *plain = m_view->findChild<QPlainTextEdit *>();
        QVERIFY(plain->blockCount() > 100);   // laid out in bounded paragraphs
        QVERIFY(!m_view->grab().isNull());
    }

    void markdownToggle()
    {
        m_view->setPayload(QStringLiteral("# Title\n\n![x](http://example.com/a.png)"), QString());
        QCOMPARE(m_view->display(), PayloadView::Display::PlainText);
        m_view->setMarkdownPreferred(true);
        QCOMPARE(m_view->display(), PayloadView::Display::Markdown);
        auto *browser = m_view->findChild<SafeTextBrowser *>();
        QVERIFY(browser->toPlainText().startsWith(QStringLiteral("Title")));
        m_view->grab();
        QCOMPARE(browser->resourceRequestCount(), 0);
        // Too large for Markdown: stays plain.
        m_view->setPayload(QString(300 * 1024, QLatin1Char('a')), QString());
        QCOMPARE(m_view->display(), PayloadView::Display::PlainText);
    }

private:
    PayloadView *m_view = nullptr;
};

QTEST_MAIN(TestPayloadView)
#include "tst_payloadview.moc"
