// File > Connect to Team Store…: the dialog's URL, and a window (two, in fact) on a PostgreSQL store
// whose password never reaches the settings. The window part needs SPANSCOPE_TEST_PG_URL.
#include "items/tracelistmodel.h"
#include "mainwindow.h"
#include "settings.h"
#include "store/tracestore.h"
#include "teamstoredialog.h"
#include "widgets/waterfallpainter.h"

#include <QApplication>
#include <QCoreApplication>
#include <QFile>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTest>
#include <QUrl>

using namespace spanscope;

class TestTeamStore : public QObject
{
    Q_OBJECT
    QString m_schema;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("SpanscopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_teamstore"));
    }

    void dialogBuildsTheUrl()
    {
        TeamStoreDialog dialog;
        dialog.findChild<QLineEdit *>("host")->setText("db.example.org");
        dialog.findChild<QSpinBox *>("port")->setValue(6543);
        dialog.findChild<QLineEdit *>("database")->setText("traces");
        dialog.findChild<QLineEdit *>("user")->setText("alice");
        dialog.findChild<QLineEdit *>("password")->setText("s3cret");
        dialog.findChild<QLineEdit *>("schema")->setText("team_a");
        QCOMPARE(dialog.url(), QStringLiteral("postgresql://alice@db.example.org:6543/traces?schema=team_a"));
        QCOMPARE(dialog.password(), QStringLiteral("s3cret"));
        if (const QString dir = qEnvironmentVariable("SPANSCOPE_SNAPSHOT_DIR"); !dir.isEmpty()) {
            dialog.show();
            QTest::qWait(100);
            dialog.grab().save(dir + QStringLiteral("/teamstore-dialog.png"));
            const QPalette light = QApplication::palette();
            QApplication::setPalette(spanscopePalette(true));
            QTest::qWait(50);
            dialog.grab().save(dir + QStringLiteral("/teamstore-dialog-dark.png"));
            QApplication::setPalette(light);
        }

        TeamStoreDialog again;
        again.setUrl("postgresql://bob:pw@localhost/spanscope");
        QCOMPARE(again.url(), QStringLiteral("postgresql://bob@localhost/spanscope"));
        QCOMPARE(again.password(), QStringLiteral("pw"));
        QCOMPARE(teamstore::withoutPassword("postgresql://bob:pw@h:5/d?schema=x"), QStringLiteral("postgresql://bob@h:5/d?schema=x"));
        QCOMPARE(teamstore::withoutPassword("/tmp/w.sqlite"), QStringLiteral("/tmp/w.sqlite"));
    }

    void windowsShareATeamStore()
    {
        const QString base = qEnvironmentVariable("SPANSCOPE_TEST_PG_URL");
        if (base.isEmpty())
            QSKIP("set SPANSCOPE_TEST_PG_URL=postgresql://user@host:port/db (packaging/dev.sh test does)");
        m_schema = QStringLiteral("tst_teamstore_%1").arg(QCoreApplication::applicationPid());
        QUrl url(base + (base.contains('?') ? "&" : "?") + "schema=" + m_schema);
        url.setPassword("not-a-real-password");  // the test server trusts loopback
        const QString withPassword = url.toString();
        // Reachable first: a window that cannot open its store says so in a modal message box,
        // which would hold this test until its timeout instead of failing it.
        {
            TraceStore probe;
            QVERIFY2(probe.open(withPassword), qPrintable(probe.lastError()));
        }

        MainWindow a(withPassword);
        a.resize(1200, 800);
        a.show();
        QVERIFY(a.workspacePath().startsWith("postgresql://"));
        QVERIFY(!a.workspacePath().contains("not-a-real-password"));
        QVERIFY(a.windowTitle().contains("team store"));
        QSignalSpy finished(&a, &MainWindow::importFinished);
        a.importFiles({QStringLiteral(SPANSCOPE_SOURCE_DIR "/resources/samples/genai-agent-runs.jsonl")});
        QVERIFY(finished.wait(60000));
        QVERIFY(QTest::qWaitFor([&] { return a.traceListModel()->rowCount() == 40; }, 20000));

        // A second window on the same store (as another teammate would) sees the same traces.
        MainWindow b(a.workspacePath());
        b.show();
        QVERIFY(QTest::qWaitFor([&] { return b.traceListModel()->rowCount() == 40; }, 20000));

        // Someone else (another machine's `spanscope serve`) adds a trace: both windows show it
        // without a manual refresh.
        {
            TraceStore other;
            QVERIFY2(other.open(a.workspacePath()), qPrintable(other.lastError()));
            Span s;
            s.traceId = "0123456789abcdef0123456789abcdef";
            s.spanId = "0123456789abcdef";
            s.name = "from another machine";
            s.startNs = 1'800'000'000'000'000'000LL;
            s.endNs = s.startNs + 1'000'000;
            QVERIFY(other.writeSpans({s}));
        }
        QVERIFY(QTest::qWaitFor([&] { return b.traceListModel()->rowCount() == 41; }, 20000));
        QVERIFY(QTest::qWaitFor([&] { return a.traceListModel()->rowCount() == 41; }, 20000));

        // The password is in no setting.
        Settings::instance().setLastWorkspace(Settings::instance().lastWorkspace());
        QSettings settings;
        settings.sync();
        QFile file(settings.fileName());
        if (file.open(QIODevice::ReadOnly))
            QVERIFY(!file.readAll().contains("not-a-real-password"));
        QVERIFY(!Settings::instance().lastWorkspace().contains("not-a-real-password"));
        QCOMPARE(Settings::instance().lastWorkspace(), a.workspacePath());
    }

    void cleanupTestCase()
    {
        const QString base = qEnvironmentVariable("SPANSCOPE_TEST_PG_URL");
        if (base.isEmpty() || m_schema.isEmpty())
            return;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QPSQL", "cleanup");
            const QUrl url(base);
            db.setHostName(url.host());
            if (url.port() > 0)
                db.setPort(url.port());
            db.setUserName(url.userName());
            db.setDatabaseName(url.path().mid(1));
            if (db.open()) {
                QSqlQuery q(db);
                q.exec("SET client_min_messages = warning");
                q.exec(QStringLiteral("DROP SCHEMA IF EXISTS \"%1\" CASCADE").arg(m_schema));
            }
            db.close();
        }
        QSqlDatabase::removeDatabase("cleanup");
    }
};

QTEST_MAIN(TestTeamStore)
#include "tst_teamstore.moc"
