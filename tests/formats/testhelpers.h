#pragma once

// Shared by the formats tests: collecting sinks, span comparison that names the differing field,
// gzip, issue lookups.

#include "formats/importer.h"

#include <QFile>
#include <QTest>

#include <zlib.h>

#include <cmath>

namespace spanscope::test {

inline QString dataPath(const QString &relative)
{
    return QStringLiteral(SPANSCOPE_TEST_DATA "/") + relative;
}

inline QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return f.readAll();
}

inline bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

struct Collected {
    SpanList spans;
    QList<qsizetype> batchSizes;
    SpanBatchSink sink()
    {
        return [this](SpanList &&batch) {
            batchSizes.push_back(batch.size());
            spans.append(std::move(batch));
        };
    }
};

inline ImportResult importPath(const QString &path, Collected &out, const ImportOptions &options = {})
{
    return importFile(path, out.sink(), options);
}

inline ImportResult importData(const QByteArray &data, Collected &out, const ImportOptions &options = {})
{
    return importBytes(data, QStringLiteral("memory.bin"), out.sink(), options);
}

// gzip (not zlib) framing, as `gzip` writes it.
inline QByteArray gzip(const QByteArray &data, int level = 6)
{
    z_stream z{};
    if (deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        qFatal("deflateInit2 failed");
    QByteArray out;
    out.resize(qsizetype(deflateBound(&z, uLong(data.size()))) + 64);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    z.avail_in = uInt(data.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    const int rc = deflate(&z, Z_FINISH);
    if (rc != Z_STREAM_END)
        qFatal("deflate failed: %d", rc);
    out.resize(qsizetype(z.total_out));
    deflateEnd(&z);
    return out;
}

inline QStringList reasons(const ImportResult &r, ImportIssue::Severity severity)
{
    QStringList out;
    for (const ImportIssue &i : r.issues) {
        if (i.severity == severity)
            out.push_back(i.reason);
    }
    return out;
}

inline QList<ImportIssue> errors(const ImportResult &r)
{
    QList<ImportIssue> out;
    for (const ImportIssue &i : r.issues) {
        if (i.severity == ImportIssue::Severity::Error)
            out.push_back(i);
    }
    return out;
}

inline QStringList spanNames(const SpanList &spans)
{
    QStringList names;
    for (const Span &s : spans)
        names.push_back(s.name);
    return names;
}

inline const Span *findSpan(const SpanList &spans, const QString &name)
{
    for (const Span &s : spans) {
        if (s.name == name)
            return &s;
    }
    return nullptr;
}

// QVariant's operator== converts between numeric types (qint64 50 == double 50.0); importers must
// produce the right type, so compare types as well, recursively. NaN equals NaN here.
inline bool sameValue(const QVariant &a, const QVariant &b, QString *why, const QString &path = {})
{
    if (a.isValid() != b.isValid() || (a.isValid() && a.typeId() != b.typeId())) {
        *why = QStringLiteral("%1: type %2 vs %3").arg(path, QString::fromLatin1(a.typeName()), QString::fromLatin1(b.typeName()));
        return false;
    }
    switch (a.typeId()) {
    case QMetaType::Double: {
        const double x = a.toDouble(), y = b.toDouble();
        if ((std::isnan(x) && std::isnan(y)) || x == y)
            return true;
        break;
    }
    case QMetaType::QVariantList: {
        const QVariantList x = a.toList(), y = b.toList();
        if (x.size() != y.size())
            break;
        for (qsizetype i = 0; i < x.size(); ++i) {
            if (!sameValue(x[i], y[i], why, path + QStringLiteral("[%1]").arg(i)))
                return false;
        }
        return true;
    }
    case QMetaType::QVariantMap: {
        const QVariantMap x = a.toMap(), y = b.toMap();
        if (x.keys() != y.keys())
            break;
        for (auto it = x.begin(); it != x.end(); ++it) {
            if (!sameValue(it.value(), y.value(it.key()), why, path + QLatin1Char('.') + it.key()))
                return false;
        }
        return true;
    }
    default:
        if (a == b)
            return true;
    }
    *why = QStringLiteral("%1: %2 vs %3").arg(path, a.toString(), b.toString());
    return false;
}

inline void compareAttributes(const Attributes &actual, const Attributes &expected, const QString &where)
{
    QStringList actualKeys, expectedKeys;
    for (const Attribute &a : actual)
        actualKeys.push_back(a.key);
    for (const Attribute &a : expected)
        expectedKeys.push_back(a.key);
    QVERIFY2(actualKeys == expectedKeys,
             qPrintable(where + QStringLiteral(" keys: ") + actualKeys.join(u',') + QStringLiteral(" vs ") + expectedKeys.join(u',')));
    for (qsizetype i = 0; i < actual.size(); ++i) {
        QString why;
        QVERIFY2(sameValue(actual[i].value, expected[i].value, &why, where + QLatin1Char('.') + actual[i].key), qPrintable(why));
    }
}

// Field by field, so a failure says which field differs.
inline void compareSpan(const Span &a, const Span &b)
{
    const QString w = QStringLiteral("span %1").arg(b.name);
    QCOMPARE(a.traceId, b.traceId);
    QCOMPARE(a.spanId, b.spanId);
    QCOMPARE(a.parentSpanId, b.parentSpanId);
    QCOMPARE(a.name, b.name);
    QCOMPARE(a.otelKind, b.otelKind);
    QCOMPARE(a.serviceName, b.serviceName);
    QCOMPARE(a.scopeName, b.scopeName);
    QCOMPARE(a.scopeVersion, b.scopeVersion);
    QCOMPARE(a.startNs, b.startNs);
    QCOMPARE(a.endNs, b.endNs);
    QCOMPARE(a.status, b.status);
    QCOMPARE(a.statusMessage, b.statusMessage);
    compareAttributes(a.attributes, b.attributes, w + QStringLiteral(" attributes"));
    if (QTest::currentTestFailed())
        return;
    compareAttributes(a.resourceAttributes, b.resourceAttributes, w + QStringLiteral(" resource"));
    if (QTest::currentTestFailed())
        return;
    compareAttributes(a.scopeAttributes, b.scopeAttributes, w + QStringLiteral(" scope"));
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(a.events.size(), b.events.size());
    for (qsizetype i = 0; i < a.events.size(); ++i) {
        QCOMPARE(a.events[i].timeNs, b.events[i].timeNs);
        QCOMPARE(a.events[i].name, b.events[i].name);
        compareAttributes(a.events[i].attributes, b.events[i].attributes, w + QStringLiteral(" event %1").arg(i));
        if (QTest::currentTestFailed())
            return;
    }
    QCOMPARE(a.links.size(), b.links.size());
    for (qsizetype i = 0; i < a.links.size(); ++i) {
        QCOMPARE(a.links[i].traceId, b.links[i].traceId);
        QCOMPARE(a.links[i].spanId, b.links[i].spanId);
        compareAttributes(a.links[i].attributes, b.links[i].attributes, w + QStringLiteral(" link %1").arg(i));
        if (QTest::currentTestFailed())
            return;
    }
}

inline void compareSpanLists(const SpanList &actual, const SpanList &expected)
{
    QCOMPARE(spanNames(actual), spanNames(expected));
    for (qsizetype i = 0; i < actual.size(); ++i) {
        compareSpan(actual[i], expected[i]);
        if (QTest::currentTestFailed())
            return;
    }
}

} // namespace spanscope::test
