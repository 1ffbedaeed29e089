#include "exporter.h"

#include "store/tracestore.h"
#include "trace/trace.h"

#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>

#include <cstdio>

namespace spanscope {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Exporter", text);
}
} // namespace

ExportResult exportTraces(TraceStore &store, const QStringList &traceIds, ExportFormat format, const QString &path,
                          const ExportOptions &options)
{
    ExportResult result;
    try {
        const bool toStdout = path == u"-";
        QSaveFile file(toStdout ? QString() : path);
        QFile out;
        QIODevice *device = nullptr;
        if (toStdout) {
            if (!out.open(stdout, QIODevice::WriteOnly)) {
                result.error = tr("cannot write to standard output: %1").arg(out.errorString());
                return result;
            }
            device = &out;
        } else {
            if (!file.open(QIODevice::WriteOnly)) {
                result.error = tr("cannot write %1: %2").arg(path, file.errorString());
                return result;
            }
            device = &file;
        }
        std::unique_ptr<TraceWriter> writer = TraceWriter::create(format, device);
        int done = 0;
        for (const QString &id : traceIds) {
            if (options.cancel && options.cancel->load()) {
                result.cancelled = true;
                if (!toStdout)
                    file.cancelWriting();
                return result;
            }
            SpanList spans = store.loadSpans(id, true);
            if (spans.isEmpty()) {
                if (!store.lastError().isEmpty() && !store.isOpen()) {
                    result.error = store.lastError();
                    if (!toStdout)
                        file.cancelWriting();
                    return result;
                }
                result.missing << id;
            } else {
                // Tree order: parents before children, as a reader of the file expects.
                const Trace trace(std::move(spans));
                if (!writer->writeTrace(trace.spans())) {
                    result.error = tr("cannot write %1: %2").arg(toStdout ? tr("standard output") : path, writer->error());
                    if (!toStdout)
                        file.cancelWriting();
                    return result;
                }
                ++result.traces;
                result.spans += trace.size();
            }
            ++done;
            if (options.progress)
                options.progress(done, int(traceIds.size()));
        }
        if (!writer->finish()) {
            result.error = tr("cannot write %1: %2").arg(toStdout ? tr("standard output") : path, writer->error());
            if (!toStdout)
                file.cancelWriting();
            return result;
        }
        if (toStdout) {
            out.flush();
        } else if (!file.commit()) {
            result.error = tr("cannot write %1: %2").arg(path, file.errorString());
            return result;
        }
    } catch (const std::exception &e) {
        result.error = tr("internal error: %1").arg(QString::fromUtf8(e.what()));
    } catch (...) {
        result.error = tr("internal error");
    }
    return result;
}

bool exportTraces(TraceStore &store, const QStringList &traceIds, ExportFormat format, const QString &path, QString *error,
                  const ExportOptions &options)
{
    const ExportResult r = exportTraces(store, traceIds, format, path, options);
    if (error) {
        if (r.cancelled)
            *error = tr("cancelled");
        else
            *error = r.error;
    }
    return r.ok();
}

} // namespace spanscope
