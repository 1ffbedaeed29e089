#include "rendercommand.h"

#include "cli.h"
#include "store/tracestore.h"
#include "widgets/traceview.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QImage>
#include <QTextStream>

namespace spanscope::cli {

int runRender(const QStringList &args)
{
    QTextStream err(stderr);
    QTextStream out(stdout);
    QCommandLineParser p;
    p.addHelpOption();
    p.addOption({QStringLiteral("db"), QStringLiteral("Workspace file."), QStringLiteral("PATH")});
    p.addOption({{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("Output file (.png or .svg)."), QStringLiteral("FILE")});
    p.addOption({QStringLiteral("width"), QStringLiteral("Image width in pixels (default 1600)."), QStringLiteral("W"), QStringLiteral("1600")});
    p.addOption({QStringLiteral("dark"), QStringLiteral("Use the dark palette.")});
    p.addPositionalArgument(QStringLiteral("TRACE_ID"), QStringLiteral("Trace id (or a unique prefix)."));
    QStringList argv = args;
    argv.prepend(QStringLiteral("spanscope"));
    if (!p.parse(argv)) {
        err << "spanscope: " << p.errorText() << "\n";
        return 2;
    }
    if (p.isSet(QStringLiteral("help"))) {
        out << p.helpText();
        return 0;
    }
    const QStringList pos = p.positionalArguments();
    const QString output = p.value(QStringLiteral("output"));
    bool okWidth = false;
    const int width = p.value(QStringLiteral("width")).toInt(&okWidth);
    if (pos.size() != 2 || output.isEmpty()) {
        err << "spanscope: render needs TRACE_ID and -o FILE\n";
        return 2;
    }
    if (!okWidth || width < 200 || width > 20000) {
        err << "spanscope: --width must be between 200 and 20000\n";
        return 2;
    }
    TraceStore store;
    if (!store.open(workspacePath(p.value(QStringLiteral("db"))))) {
        err << "spanscope: " << store.lastError() << "\n";
        return 1;
    }
    const QString id = store.resolveTraceId(pos.at(1));
    if (id.isEmpty()) {
        err << "spanscope: no trace " << pos.at(1) << " in " << store.path() << "\n";
        return 1;
    }
    auto trace = std::make_shared<const Trace>(store.loadTrace(id, false));
    const TraceSummary summary = store.traceSummary(id).value_or(TraceSummary{});
    const bool dark = p.isSet(QStringLiteral("dark"));
    if (output.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive)) {
        TraceView view;
        view.resize(width, 900);
        view.setTrace(trace, summary);
        QString error;
        if (!view.exportImage(output, &error)) {
            err << "spanscope: " << error << "\n";
            return 1;
        }
    } else {
        const QImage image = TraceView::render(trace, summary, width, dark);
        if (image.isNull() || !image.save(output)) {
            err << "spanscope: cannot write " << output << "\n";
            return 1;
        }
        out << output << ": " << image.width() << "×" << image.height() << " px, " << trace->size() << " spans\n";
    }
    return 0;
}

} // namespace spanscope::cli
