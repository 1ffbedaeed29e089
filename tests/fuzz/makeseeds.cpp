// fuzz_make_seeds SEEDS_DIR FILE...: every span of every trace file as a "semconv" seed (the span
// text of fuzztargets.h, SEEDS_DIR/semconv/FILE-N.txt) and, normalized, as a "detailcodec" seed
// (a format byte and the encoded detail document, SEEDS_DIR/detailcodec/FILE-N.bin).
#include "formats/importer.h"
#include "fuzztargets.h"
#include "semconv/semconv.h"
#include "store/detailcodec.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cstdio>

using namespace spanscope;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    if (args.size() < 2) {
        fprintf(stderr, "usage: fuzz_make_seeds SEEDS_DIR FILE...\n");
        return 2;
    }
    QDir out(args.first() + QStringLiteral("/semconv"));
    out.mkpath(QStringLiteral("."));
    QDir codec(args.first() + QStringLiteral("/detailcodec"));
    codec.mkpath(QStringLiteral("."));
    int written = 0;
    for (const QString &file : args.mid(1)) {
        SpanList spans;
        ImportOptions options;
        options.keepSecrets = true;
        importFile(file, [&spans](SpanList &&batch) { spans.append(std::move(batch)); }, options);
        for (qsizetype i = 0; i < spans.size(); ++i) {
            const QString base = QStringLiteral("%1-%2").arg(QFileInfo(file).completeBaseName()).arg(i);
            QFile f(out.filePath(base + QStringLiteral(".txt")));
            if (f.open(QIODevice::WriteOnly) && f.write(fuzz::spanToText(spans[i])) > 0)
                ++written;
            Span normalized = spans[i];
            semconv::normalize(normalized);
            DetailCodec::Format format;
            const QByteArray doc = DetailCodec::encode(normalized, &format);
            QByteArray blob(1, char(format));
            blob += doc;
            QFile c(codec.filePath(base + QStringLiteral(".bin")));
            if (c.open(QIODevice::WriteOnly) && c.write(blob) > 0)
                ++written;
        }
    }
    printf("%d seeds written to %s\n", written, qPrintable(args.first()));
    return 0;
}
