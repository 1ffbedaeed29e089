// Renders the inspector with rich fixture spans in a light and a dark Fusion palette and saves
// PNGs (inspector-light.png, inspector-dark.png, inspector-<theme>-<tab>.png) to
// $SPANSCOPE_SNAPSHOT_DIR or the system temp directory, for people to look at.
#include "inspectorfixtures.h"

#include "widgets/messageview.h"
#include "widgets/safetextbrowser.h"
#include "widgets/spaninspector.h"

#include <QScrollBar>
#include <QTreeView>

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>
#include <QTest>

using namespace spanscope;

namespace {

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor text(0xdf, 0xe1, 0xe5);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
    p.setColor(QPalette::ToolTipBase, QColor(0x3c, 0x3f, 0x41));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x8c, 0x8f, 0x94));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x3c, 0x3f, 0x41));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x50));
    p.setColor(QPalette::Midlight, QColor(0x3f, 0x42, 0x45));
    p.setColor(QPalette::Mid, QColor(0x32, 0x34, 0x37));
    p.setColor(QPalette::Dark, QColor(0x1a, 0x1b, 0x1d));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x65, 0xca));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xa8, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb0, 0x8c, 0xf0));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x7a, 0x7c, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x7a, 0x7c, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x7a, 0x7c, 0x80));
    return p;
}

QString outputDir()
{
    const QString dir = qEnvironmentVariable("SPANSCOPE_SNAPSHOT_DIR", QDir::tempPath());
    QDir().mkpath(dir);
    return dir;
}

// Lets pending layout requests run, as they would before the next paint in the app.
QPixmap settled(QWidget &widget)
{
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    return widget.grab();
}

} // namespace

class TestInspectorSnapshots : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    }

    void render_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::addRow("light") << false;
        QTest::addRow("dark") << true;
    }
    void render()
    {
        QFETCH(bool, dark);
        QApplication::setPalette(dark ? darkPalette() : QApplication::style()->standardPalette());
        const QString theme = dark ? QStringLiteral("dark") : QStringLiteral("light");
        const QString dir = outputDir();

        SpanInspector inspector;
        inspector.resize(560, 820);
        inspector.show();
        QVERIFY(QTest::qWaitForWindowExposed(&inspector));
        inspector.setSpan(fixtures::richLlmSpan(), fixtures::kTraceStart);
        QVERIFY(settled(inspector).save(dir + QStringLiteral("/inspector-%1.png").arg(theme)));
        for (const char *name : {"messages", "io", "parameters", "attributes", "events", "links"}) {
            const QString tab = QString::fromLatin1(name);
            inspector.setCurrentTabName(tab);
            QCOMPARE(inspector.currentTabName(), tab);
            QVERIFY(settled(inspector).save(dir + QStringLiteral("/inspector-%1-%2.png").arg(theme, tab)));
        }
        inspector.setCurrentTabName(QStringLiteral("attributes"));
        auto *attributes = inspector.findChild<QTreeView *>(QStringLiteral("attributeView"));
        attributes->setCurrentIndex(attributes->model()->index(3, 1, attributes->model()->index(0, 0)));
        QVERIFY(settled(inspector).save(dir + QStringLiteral("/inspector-%1-attribute-value.png").arg(theme)));
        inspector.setCurrentTabName(QStringLiteral("messages"));
        QScrollBar *scroll = inspector.findChild<MessageView *>()->browser()->verticalScrollBar();
        scroll->setValue(scroll->maximum());
        QVERIFY(settled(inspector).save(dir + QStringLiteral("/inspector-%1-messages-end.png").arg(theme)));
        inspector.setSpan(fixtures::toolSpan(), fixtures::kTraceStart);
        QVERIFY(settled(inspector).save(dir + QStringLiteral("/inspector-%1-tool.png").arg(theme)));
        inspector.setSpan(fixtures::retrieverSpan(), fixtures::kTraceStart);
        inspector.setCurrentTabName(QStringLiteral("documents"));
        QVERIFY(settled(inspector).save(dir + QStringLiteral("/inspector-%1-documents.png").arg(theme)));
        inspector.setLoading(true);
        QTest::qWait(SpanInspector::LoadingDelayMs + 50);
        QVERIFY(settled(inspector).save(dir + QStringLiteral("/inspector-%1-loading.png").arg(theme)));
        inspector.clear();
        QVERIFY(settled(inspector).save(dir + QStringLiteral("/inspector-%1-empty.png").arg(theme)));
    }
};

QTEST_MAIN(TestInspectorSnapshots)
#include "tst_inspectorsnapshots.moc"
