// The window with Live on: the toolbar toggle starts the receiver, traces sent by a real HTTP
// client appear at the top of the list without a reset, the open trace grows in place keeping its
// selected span, Follow Latest opens new traces, and the GUI thread stays responsive while
// 20,000 spans/s arrive. With SPANSCOPE_SNAPSHOT_DIR set, saves PNGs (light, dark, gateway dialog).
#include "items/tracelistmodel.h"
#include "livecontroller.h"
#include "livetesthelpers.h"
#include "../store/fulltextbacklog.h"
#include "mainwindow.h"
#include "settings.h"
#include "trace/trace.h"
#include "widgets/gatewaydialog.h"
#include "widgets/livestatuswidget.h"
#include "widgets/receiverdialog.h"
#include "widgets/traceview.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QPointer>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QThread>

using namespace spanscope;
using namespace spanscope::test;

namespace {

void snapshot(QWidget *w, const QString &name)
{
    const QString dir = qEnvironmentVariable("SPANSCOPE_SNAPSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QTest::qWait(50);
    w->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

// Sends OTLP/JSON from its own thread at a target rate (spans/s), like an instrumented app.
class LoadSender : public QObject
{
public:
    LoadSender(const QUrl &url, int spansPerSecond, int spansPerRequest)
        : m_url(url)
        , m_perRequest(spansPerRequest)
        , m_requestsPerTick(std::max(1, spansPerSecond / spansPerRequest / 100))
    {
    }
    void start()
    {
        // Several clients: one QNetworkAccessManager opens at most 6 connections to a host.
        for (int i = 0; i < 4; ++i)
            m_nams << new QNetworkAccessManager(this);
        m_timer = new QTimer(this);
        m_timer->setTimerType(Qt::PreciseTimer);
        connect(m_timer, &QTimer::timeout, this, [this] {
            for (int i = 0; i < m_requestsPerTick && m_inFlight < 32; ++i)
                sendOne();
        });
        m_timer->start(10);
    }
    void stop() { m_timer->stop(); }
    std::atomic<qint64> acked{0};

private:
    void sendOne()
    {
        QNetworkRequest req(m_url);
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        // One body built once; each request gets its own trace id (and the current time).
        if (m_template.isEmpty())
            m_template = otlpJson(QStringLiteral("ffffffffffffffffffffffffffffff00"), m_perRequest, QStringLiteral("load"), 1700000000000000000LL);
        QByteArray body = m_template;
        body.replace("ffffffffffffffffffffffffffffff00", QByteArray::number(++m_n, 16).rightJustified(32, '0'));
        body.replace(QByteArray("\"17000000000"), QByteArray("\"" + QByteArray::number(QDateTime::currentMSecsSinceEpoch() / 100)));
        QNetworkReply *r = m_nams.at(m_n % m_nams.size())->post(req, body);
        ++m_inFlight;
        connect(r, &QNetworkReply::finished, this, [this, r] {
            --m_inFlight;
            if (r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200)
                acked += m_perRequest;
            r->deleteLater();
        });
    }
    QUrl m_url;
    int m_perRequest;
    int m_requestsPerTick;
    int m_inFlight = 0;
    int m_n = 0;
    QByteArray m_template;
    QList<QNetworkAccessManager *> m_nams;
    QTimer *m_timer = nullptr;
};

} // namespace

class TestLiveWindow : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QNetworkAccessManager m_nam;

    HttpResult send(MainWindow &w, const QString &traceId, int spans, qint64 startNs)
    {
        return httpPost(m_nam, QUrl(w.liveController()->endpoint() + QStringLiteral("/v1/traces")),
                        otlpJson(traceId, spans, QStringLiteral("checkout-agent"), startNs), "application/json");
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("SpanscopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_livewindow"));
        Settings::instance().setTheme(Settings::Theme::Light);
        Settings::instance().setLiveReceiverEnabled(false);
        Settings::instance().setLiveReceiverPort(0);   // any free port
        Settings::instance().setLiveFollowLatest(false);
        Settings::instance().setPortkeyGatewayUrl(QString());
    }

    void liveToggleTracesArriveAndGrow()
    {
        MainWindow w(m_dir.filePath(QStringLiteral("live.sqlite")));
        w.resize(1440, 900);
        w.show();
        QAbstractItemModelTester tester(w.traceListModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(!w.liveController()->isReceiving());
        w.liveAction()->trigger();
        QVERIFY(w.liveController()->isReceiving());
        QVERIFY(Settings::instance().liveReceiverEnabled());
        QVERIFY(w.liveStatusWidget()->receiverText().contains(w.liveController()->endpoint()));

        const qint64 base = QDateTime::currentMSecsSinceEpoch() * 1000000 - 60000000000LL;
        for (int i = 0; i < 5; ++i)
            QCOMPARE(send(w, hexId(QStringLiteral("first-%1").arg(i), 16), 4, base + i * 1000000000LL).status, 200);
        QVERIFY(waitFor([&] { return w.traceListModel()->rowCount() == 5 && w.traceListModel()->summaryAt(0); }, 10000));
        QCOMPARE(w.traceListModel()->summaryAt(0)->traceId, hexId(QStringLiteral("first-4"), 16));

        // Open the second-newest trace and select a span in it.
        w.traceTable()->selectRow(1);
        const QString openId = hexId(QStringLiteral("first-3"), 16);
        QVERIFY(waitFor([&] { return w.traceView()->trace() && w.traceView()->trace()->size() == 4; }, 10000));
        QCOMPARE(w.currentTraceId(), openId);
        w.traceView()->selectSpan(2);
        const QString selectedSpan = w.traceView()->trace()->span(2).spanId;

        // A newer trace arrives: inserted on top (no reset), the selection moves down with its trace.
        QSignalSpy resets(w.traceListModel(), &QAbstractItemModel::modelReset);
        QSignalSpy inserts(w.traceListModel(), &QAbstractItemModel::rowsInserted);
        QCOMPARE(send(w, hexId(QStringLiteral("newer"), 16), 3, base + 10 * 1000000000LL).status, 200);
        QVERIFY(waitFor([&] { return w.traceListModel()->rowCount() == 6; }, 10000));
        QCOMPARE(resets.count(), 0);
        QVERIFY(inserts.count() >= 1);
        QCOMPARE(w.traceListModel()->summaryAt(0)->traceId, hexId(QStringLiteral("newer"), 16));
        QCOMPARE(w.traceTable()->currentIndex().row(), 2);
        QCOMPARE(w.traceTable()->currentIndex().data(TraceListModel::TraceIdRole).toString(), openId);

        // More spans for the open trace: it grows in place, the selected span stays selected.
        QByteArray more = otlpJson(openId, 9, QStringLiteral("checkout-agent"), base + 3 * 1000000000LL);
        QCOMPARE(httpPost(m_nam, QUrl(w.liveController()->endpoint() + QStringLiteral("/v1/traces")), more, "application/json").status, 200);
        QVERIFY(waitFor([&] { return w.traceView()->trace() && w.traceView()->trace()->size() == 9; }, 10000));
        QCOMPARE(w.currentTraceId(), openId);
        QVERIFY(waitFor([&] { return w.traceView()->currentSpan() >= 0; }, 10000));
        QCOMPARE(w.traceView()->trace()->span(w.traceView()->currentSpan()).spanId, selectedSpan);
        QCOMPARE(resets.count(), 0);
        QVERIFY(waitFor([&] { return w.liveStatusWidget()->receiverText().contains(QStringLiteral("received")); }, 10000));
        snapshot(&w, QStringLiteral("live-window-light"));
        MainWindow::applyTheme(Settings::Theme::Dark);
        snapshot(&w, QStringLiteral("live-window-dark"));
        MainWindow::applyTheme(Settings::Theme::Light);

        // Follow latest: the newest trace opens by itself.
        w.followLatestAction()->setChecked(true);
        const QString latest = hexId(QStringLiteral("latest"), 16);
        QCOMPARE(send(w, latest, 2, base + 20 * 1000000000LL).status, 200);
        QVERIFY(waitFor([&] { return w.currentTraceId() == latest; }, 10000));
        w.followLatestAction()->setChecked(false);

        // Off again: the port closes, the setting is remembered.
        w.liveAction()->trigger();
        QVERIFY(!w.liveController()->isReceiving());
        QVERIFY(!Settings::instance().liveReceiverEnabled());
        QVERIFY(w.liveStatusWidget()->receiverText().contains(QStringLiteral("Live off")));
    }

    // With live ingest on, the window leaves a search backlog to the live writer, which indexes it
    // between arrivals, instead of starting an indexing run of its own that would contend with it.
    void liveWriterIndexesTheBacklogNotTheWindow()
    {
        const QString path = m_dir.filePath(QStringLiteral("backlog.sqlite"));
        QCOMPARE(test::writeUnindexedSpans(path, 9000, QStringLiteral("flamingos")), 9000);
        Settings::instance().setLiveReceiverEnabled(true);
        auto restore = qScopeGuard([] { Settings::instance().setLiveReceiverEnabled(false); });
        MainWindow w(path);
        w.resize(1280, 800);
        w.show();
        QVERIFY(w.liveController()->isReceiving());
        QSignalSpy finished(&w, &MainWindow::importFinished);
        TraceStore store;
        QVERIFY(store.open(path, TraceStore::OpenMode::ReadOnly));
        QVERIFY(waitFor([&] { return store.counts().pendingFullText == 0; }, 20000));
        QCOMPARE(store.search(QStringLiteral("flamingos"), 10000).size(), 9000);
        QTest::qWait(500);
        QCOMPARE(finished.count(), 0);
    }

    void gatewayDialog()
    {
        MainWindow w(m_dir.filePath(QStringLiteral("gw.sqlite")));
        w.resize(1280, 800);
        w.show();
        w.showGatewayDialog();
        auto *dialog = w.findChild<GatewayDialog *>();
        QVERIFY(dialog);
        QVERIFY(waitFor([&] { return dialog->isVisible(); }, 10000));
        QVERIFY(waitFor([&] { return !w.liveController()->tokenNote().isEmpty(); }, 10000));   // keychain answered (or not)
        QCOMPARE(dialog->url().toString(), QStringLiteral("http://127.0.0.1:8787"));
        snapshot(dialog, QStringLiteral("gateway-dialog-light"));
        MainWindow::applyTheme(Settings::Theme::Dark);
        snapshot(dialog, QStringLiteral("gateway-dialog-dark"));
        MainWindow::applyTheme(Settings::Theme::Light);
        // Connecting to a gateway that is not there: the status bar says it is reconnecting.
        dialog->setUrl(QStringLiteral("http://127.0.0.1:%1").arg(freePort()));
        dialog->accept();
        QVERIFY(waitFor([&] { return w.liveController()->gatewayState() == PortkeySubscriber::State::Reconnecting; }, 10000));
        QVERIFY(w.liveStatusWidget()->gatewayText().contains(QStringLiteral("reconnecting")));
        snapshot(&w, QStringLiteral("live-gateway-reconnecting"));
        w.liveController()->disconnectGateway();
        QVERIFY(w.liveStatusWidget()->gatewayText().isEmpty());
    }

    void receiverSettingsDialog()
    {
        MainWindow w(m_dir.filePath(QStringLiteral("receiver.sqlite")));
        w.resize(1280, 800);
        w.show();
        w.liveAction()->trigger();
        QVERIFY(w.liveController()->isReceiving());

        // Whatever happens below, the next tests get a loopback receiver on any free port again.
        const auto restore = qScopeGuard([] {
            Settings::instance().setLiveReceiverAllowNonLoopback(false);
            Settings::instance().setLiveReceiverBindAddress(QStringLiteral("127.0.0.1"));
            Settings::instance().setLiveReceiverPort(0);
        });
        w.showReceiverDialog();
        QPointer<ReceiverDialog> dialog = w.findChild<ReceiverDialog *>();
        QVERIFY(dialog);
        QVERIFY(waitFor([&] { return dialog->isVisible(); }, 10000));
        auto *ok = dialog->findChild<QPushButton *>(QStringLiteral("receiverOk"));
        QVERIFY(ok);
        QVERIFY(ok->isEnabled());   // loopback needs no token
        const quint16 port = freePort();
        dialog->setPort(port);
        dialog->setAcceptRemote(true);
        dialog->setToken(QString());
        QVERIFY(!ok->isEnabled());  // other machines: a token first
        QVERIFY(!dialog->isValid());
        const QString token = ReceiverDialog::generateToken();
        QVERIFY(token.size() >= 40);
        QVERIFY(token != ReceiverDialog::generateToken());
        dialog->setToken(token);
        QVERIFY(ok->isEnabled());
        snapshot(dialog, QStringLiteral("receiver-dialog-light"));
        MainWindow::applyTheme(Settings::Theme::Dark);
        snapshot(dialog, QStringLiteral("receiver-dialog-dark"));
        MainWindow::applyTheme(Settings::Theme::Light);
        ok->click();
        QVERIFY(waitFor([&] { return !dialog || !dialog->isVisible(); }, 10000));   // closed (and deleted)

        // Saved, and the running receiver listens again on every interface with the token.
        QCOMPARE(Settings::instance().liveReceiverPort(), int(port));
        QVERIFY(Settings::instance().liveReceiverAllowNonLoopback());
        QCOMPARE(Settings::instance().liveReceiverBindAddress(), QStringLiteral("0.0.0.0"));
        QVERIFY(waitFor([&] { return w.liveController()->isReceiving(); }, 5000));
        QVERIFY(w.liveAction()->isChecked());
        const QUrl url(QStringLiteral("http://127.0.0.1:%1/v1/traces").arg(port));
        const qint64 start = QDateTime::currentMSecsSinceEpoch() * 1000000;
        const QByteArray body = otlpJson(hexId(QStringLiteral("remote"), 16), 2, QStringLiteral("remote-agent"), start);
        QCOMPARE(httpPost(m_nam, url, body, "application/json").status, 401);
        QCOMPARE(httpPost(m_nam, url, body, "application/json", {{"Authorization", "Bearer " + token.toLatin1()}}).status, 200);

        // Back to this machine only: no token asked, none kept.
        QVERIFY(waitFor([&] { return !dialog; }, 10000));
        w.showReceiverDialog();
        dialog = w.findChild<ReceiverDialog *>();
        QVERIFY(dialog);
        QVERIFY(waitFor([&] { return dialog && dialog->token() == token; }, 10000));   // read back for editing
        dialog->setAcceptRemote(false);
        dialog->setPort(0);
        dialog->findChild<QPushButton *>(QStringLiteral("receiverOk"))->click();
        QVERIFY(!Settings::instance().liveReceiverAllowNonLoopback());
        QCOMPARE(Settings::instance().liveReceiverBindAddress(), QStringLiteral("127.0.0.1"));
        QVERIFY(waitFor([&] { return w.liveController()->isReceiving(); }, 5000));
        QVERIFY(w.liveController()->endpoint().contains(QStringLiteral("127.0.0.1")));
        w.liveAction()->trigger();
        QVERIFY(!w.liveController()->isReceiving());
    }

    void guiStaysResponsiveUnderLoad()
    {
        MainWindow w(m_dir.filePath(QStringLiteral("load.sqlite")));
        w.resize(1440, 900);
        w.show();
        w.liveAction()->trigger();
        QVERIFY(w.liveController()->isReceiving());
        w.followLatestAction()->setChecked(true);

        QThread senderThread;
        auto *sender = new LoadSender(QUrl(w.liveController()->endpoint() + QStringLiteral("/v1/traces")), 20000, 100);
        sender->moveToThread(&senderThread);
        senderThread.start();
        QMetaObject::invokeMethod(sender, [sender] { sender->start(); });

        // Measure the GUI thread's event-loop gaps (a frame cannot be shorter than the gap).
        QElapsedTimer clock;
        clock.start();
        qint64 last = clock.elapsed(), worst = 0;
        QList<qint64> gaps;
        QTimer probe;
        probe.setTimerType(Qt::PreciseTimer);
        connect(&probe, &QTimer::timeout, this, [&] {
            const qint64 now = clock.elapsed();
            gaps << now - last;
            worst = std::max(worst, now - last);
            last = now;
            if (gaps.size() % 50 == 0)
                w.repaint();   // paint as a visible window would, inside the measured loop
        });
        probe.start(5);
        QTest::qWait(4000);
        probe.stop();
        // Stopped and deleted on its own thread, so its replies and managers go away there.
        qint64 acked = 0;
        QMetaObject::invokeMethod(sender, [sender, &acked] {
            sender->stop();
            acked = sender->acked.load();
            delete sender;
        }, Qt::BlockingQueuedConnection);
        senderThread.quit();
        senderThread.wait();
        std::sort(gaps.begin(), gaps.end());
        const qint64 p99 = gaps.isEmpty() ? 0 : gaps.at(qsizetype(gaps.size() * 0.99));
        const double rate = acked / 4.0;
        // Figures for the record (the benchmark holds the targets: a frame under 50 ms at 20,000
        // spans/s); the test asserts behaviour: spans were taken in while the window kept running
        // its event loop (never frozen: a stall of seconds would mean work on the GUI thread).
        qInfo("GUI under live load: %.0f spans/s acknowledged, event-loop gap p99 %lld ms, worst %lld ms", rate, p99, worst);
        QVERIFY2(acked > 0, "no span was acknowledged");
        QVERIFY2(gaps.size() > 100, qPrintable(QStringLiteral("the event loop ran only %1 times in 4 s").arg(gaps.size())));
        QVERIFY2(worst < 2000, qPrintable(QStringLiteral("the window froze for %1 ms").arg(worst)));
        QVERIFY(waitFor([&] { return w.traceListModel()->rowCount() > 100; }, 10000));
        snapshot(&w, QStringLiteral("live-window-under-load"));
        w.liveAction()->trigger();
    }
};

QTEST_MAIN(TestLiveWindow)
#include "tst_livewindow.moc"
