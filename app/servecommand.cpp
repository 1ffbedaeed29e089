#include "servecommand.h"

#include "cli.h"
#include "live/liveservice.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QHostAddress>
#include <QLocale>
#include <QProcessEnvironment>
#include <QSocketNotifier>
#include <QTextStream>
#include <QTimer>

#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace spanscope::cli {

namespace {

int s_signalPipe[2] = {-1, -1};

extern "C" void onTerminationSignal(int signal)
{
    // Async-signal-safe: one byte into the self-pipe; the event loop does the rest.
    const char byte = char(signal);
    [[maybe_unused]] const ssize_t n = ::write(s_signalPipe[1], &byte, 1);
}

bool installSignalPipe()
{
    if (s_signalPipe[0] < 0) {
        if (::pipe(s_signalPipe) != 0)
            return false;
        for (int fd : s_signalPipe) {
            ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
            ::fcntl(fd, F_SETFD, FD_CLOEXEC);
        }
    }
    struct sigaction sa = {};
    sa.sa_handler = onTerminationSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &sa, nullptr) == 0 && ::sigaction(SIGTERM, &sa, nullptr) == 0;
}

QString number(qint64 n)
{
    return QLocale::c().toString(n);
}

} // namespace

int runServe(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser p;
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    p.setApplicationDescription(QStringLiteral("Receive OTLP/HTTP traces (and a Portkey gateway's log feed) into the workspace."));
    p.addHelpOption();
    p.addOption({QStringLiteral("db"), QStringLiteral("Workspace file."), QStringLiteral("PATH")});
    p.addOption({QStringLiteral("port"), QStringLiteral("Port to listen on (default 4318; 0 = any free port)."), QStringLiteral("N"), QStringLiteral("4318")});
    p.addOption({QStringLiteral("bind"), QStringLiteral("Address to listen on (default 127.0.0.1). Any other address needs --token."),
                 QStringLiteral("ADDR"), QStringLiteral("127.0.0.1")});
    p.addOption({QStringLiteral("token"), QStringLiteral("Require \"Authorization: Bearer T\" (also $SPANSCOPE_RECEIVER_TOKEN)."), QStringLiteral("T")});
    p.addOption({QStringLiteral("portkey-gateway"), QStringLiteral("Also subscribe to this Portkey gateway's /log/stream."), QStringLiteral("URL")});
    p.addOption({QStringLiteral("portkey-token"), QStringLiteral("Bearer token for the gateway's log stream (also $SPANSCOPE_PORTKEY_TOKEN)."), QStringLiteral("T")});
    p.addOption({QStringLiteral("interval"), QStringLiteral("Seconds between throughput lines (default 5; 0 = none)."), QStringLiteral("S"), QStringLiteral("5")});
    p.addOption({QStringLiteral("max-body-mb"), QStringLiteral("Largest request body, decompressed, in MiB (default 64)."), QStringLiteral("N"), QStringLiteral("64")});

    QStringList argv = args;
    argv.prepend(QStringLiteral("spanscope"));
    const auto usage = [&](const QString &message) {
        err << "spanscope serve: " << message << "\n" << p.helpText();
        err.flush();
        return 2;
    };
    if (!p.parse(argv))
        return usage(p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        out << p.helpText();
        out.flush();
        return 0;
    }
    if (p.positionalArguments().size() > 1)
        return usage(QStringLiteral("unexpected argument \"%1\"").arg(p.positionalArguments().at(1)));

    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    LiveReceiverOptions options;
    bool ok = false;
    const uint port = p.value(QStringLiteral("port")).toUInt(&ok);
    if (!ok || port > 65535)
        return usage(QStringLiteral("--port needs a number from 0 to 65535"));
    options.port = quint16(port);
    if (!options.bindAddress.setAddress(p.value(QStringLiteral("bind"))))
        return usage(QStringLiteral("--bind needs an IP address such as 127.0.0.1 or ::1"));
    options.bearerToken = p.isSet(QStringLiteral("token")) ? p.value(QStringLiteral("token")) : env.value(QStringLiteral("SPANSCOPE_RECEIVER_TOKEN"));
    // Naming an address on the command line is the explicit choice; a token is still required.
    options.allowNonLoopback = p.isSet(QStringLiteral("bind"));
    if (!options.bindAddress.isLoopback() && options.bearerToken.isEmpty())
        return usage(QStringLiteral("listening on %1 (beyond this machine) needs --token").arg(options.bindAddress.toString()));
    const int maxMb = p.value(QStringLiteral("max-body-mb")).toInt(&ok);
    if (!ok || maxMb < 1)
        return usage(QStringLiteral("--max-body-mb needs a positive number"));
    options.maxBodyBytes = qint64(maxMb) << 20;
    const int interval = p.value(QStringLiteral("interval")).toInt(&ok);
    if (!ok || interval < 0)
        return usage(QStringLiteral("--interval needs a non-negative number of seconds"));

    const QString db = workspacePath(p.value(QStringLiteral("db")));
    LiveService service(db);
    QString error;
    if (!service.startReceiver(options, &error)) {
        err << "spanscope serve: " << error << "\n";
        err.flush();
        return 1;
    }
    out << "spanscope serve: receiving OTLP/HTTP traces at " << service.endpoint() << "/v1/traces and Portkey log posts at "
        << service.endpoint() << "/v1/portkey/log\n"
        << "workspace " << db << "\n";
    out.flush();

    if (p.isSet(QStringLiteral("portkey-gateway"))) {
        PortkeySubscriberOptions gw;
        gw.url = QUrl::fromUserInput(p.value(QStringLiteral("portkey-gateway")));
        gw.bearerToken = p.isSet(QStringLiteral("portkey-token")) ? p.value(QStringLiteral("portkey-token"))
                                                                  : env.value(QStringLiteral("SPANSCOPE_PORTKEY_TOKEN"));
        if (!service.connectGateway(gw, &error)) {
            err << "spanscope serve: " << error << "\n";
            err.flush();
            service.shutdown();
            return 2;
        }
        QObject::connect(&service, &LiveService::gatewayStateChanged, &service, [&out](PortkeySubscriber::State, const QString &message) {
            out << "gateway: " << message << "\n";
            out.flush();
        });
    }

    if (!installSignalPipe()) {
        err << "spanscope serve: cannot install signal handlers\n";
        err.flush();
    }
    QSocketNotifier notifier(s_signalPipe[0], QSocketNotifier::Read);
    int caught = 0;
    QObject::connect(&notifier, &QSocketNotifier::activated, &notifier, [&] {
        char byte = 0;
        while (::read(s_signalPipe[0], &byte, 1) == 1)
            caught = byte;
        QCoreApplication::quit();
    });

    QTimer ticker;
    const auto printLine = [&] {
        const LiveActivity a = service.currentTotals();
        out << QDateTime::currentDateTime().toString(Qt::ISODate) << "  " << number(a.totalSpans) << " spans stored, "
            << QString::number(a.spansPerSecond, 'f', 0) << " spans/s, " << number(a.requests) << " requests";
        if (a.rejectedRequests > 0)
            out << ", " << number(a.rejectedRequests) << " rejected";
        if (a.overloadedRequests > 0)
            out << ", " << number(a.overloadedRequests) << " overloaded";
        if (service.isGatewayConnected())
            out << ", gateway " << PortkeySubscriber::stateName(service.gatewayState()) << " (" << number(a.gatewayEvents) << " events)";
        out << "\n";
        out.flush();
    };
    if (interval > 0) {
        ticker.setInterval(interval * 1000);
        QObject::connect(&ticker, &QTimer::timeout, &ticker, printLine);
        ticker.start();
    }
    QObject::connect(&service, &LiveService::activity, &service, [&err](const LiveActivity &a) {
        if (!a.lastError.isEmpty()) {
            err << "spanscope serve: could not store spans: " << a.lastError << "\n";
            err.flush();
        }
    });

    QCoreApplication::exec();
    service.shutdown();
    printLine();
    out << "spanscope serve: stopped" << (caught == SIGTERM ? " (SIGTERM)" : caught == SIGINT ? " (SIGINT)" : "")
        << "; everything acknowledged is in " << db << "\n";
    out.flush();
    return 0;
}

} // namespace spanscope::cli
