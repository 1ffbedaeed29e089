#include "cli.h"
#include "mainwindow.h"
#include "rendercommand.h"

#include <QApplication>
#include <QCoreApplication>

#include <memory>

int main(int argc, char *argv[])
{
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);

    if (!args.isEmpty() && args.first() == QLatin1String("render")) {
        // Headless: render never needs a display.
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        QApplication app(argc, argv);
        QCoreApplication::setOrganizationName(QStringLiteral("Spanscope"));
        QCoreApplication::setApplicationName(QStringLiteral("spanscope"));
        return spanscope::cli::runRender(args);
    }
    if (spanscope::cli::isCliInvocation(args)) {
        QCoreApplication app(argc, argv);
        QCoreApplication::setOrganizationName(QStringLiteral("Spanscope"));
        QCoreApplication::setApplicationName(QStringLiteral("spanscope"));
        QCoreApplication::setApplicationVersion(QStringLiteral(SPANSCOPE_VERSION));
        return spanscope::cli::run(args);
    }

    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Spanscope"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("spanscope.dev"));
    QCoreApplication::setApplicationName(QStringLiteral("spanscope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SPANSCOPE_VERSION));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Spanscope"));
    QGuiApplication::setDesktopFileName(QStringLiteral("dev.spanscope.Spanscope"));

    // GUI options: --db PATH, then files to import.
    QString db;
    QStringList files;
    for (int i = 0; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--db") && i + 1 < args.size())
            db = args[++i];
        else if (args[i].startsWith(QLatin1String("--db=")))
            db = args[i].mid(5);
        else
            files << args[i];
    }
    auto window = std::make_unique<spanscope::MainWindow>(spanscope::cli::workspacePath(db));
    window->show();
    if (!files.isEmpty())
        window->importFiles(files);
    return app.exec();
}
