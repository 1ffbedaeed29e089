#include "testhelpers.h"

#include "formats/chunkreader.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace spanscope;
using namespace spanscope::test;

namespace {

QByteArray randomLines(int bytes, quint32 seed)
{
    QRandomGenerator random(seed);
    QByteArray data;
    data.reserve(bytes + 200);
    while (data.size() < bytes) {
        const int length = int(random.bounded(0, 300));
        for (int i = 0; i < length; ++i)
            data += char('a' + random.bounded(26));
        data += '\n';
        if (random.bounded(50) == 0)  // a few lines longer than a chunk
            data += QByteArray(int(ChunkReader::ChunkSize + random.bounded(1000)), 'L') + '\n';
    }
    return data;
}

QByteArray readAll(ChunkReader &r)
{
    QByteArray out;
    do {
        out.append(r.pos, r.end - r.pos);
        r.pos = r.end;
    } while (r.fill());
    return out;
}

// Splits with the line mode cursor the way the JSON lines importer walks it.
QList<QByteArray> readLines(ChunkReader &r)
{
    QList<QByteArray> lines;
    r.setLineMode(true);
    for (;;) {
        QByteArray line;
        for (;;) {
            line.append(r.pos, r.stop - r.pos);
            r.pos = r.stop;
            if (!r.refillStop())
                break;
        }
        if (r.atEnd()) {
            if (!line.isEmpty())
                lines.push_back(line);
            return lines;
        }
        lines.push_back(line);
        ++r.pos;
        r.updateStop();
    }
}

enum class Source { File, Memory };

bool open(ChunkReader &r, Source source, const QByteArray &data, QTemporaryDir &dir)
{
    if (source == Source::Memory)
        return r.openBytes(data);
    const QString path = dir.filePath(QStringLiteral("input"));
    return writeFile(path, data) && r.openFile(path);
}

} // namespace

class TestChunkReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void wholeInput_data()
    {
        QTest::addColumn<int>("source");
        QTest::addColumn<bool>("compressed");
        QTest::addColumn<int>("size");
        for (int source : {int(Source::File), int(Source::Memory)}) {
            const char *s = source == int(Source::File) ? "file" : "memory";
            for (bool compressed : {false, true}) {
                const char *c = compressed ? "gzip" : "plain";
                for (int size : {0, 1, 1000, int(ChunkReader::ChunkSize), int(ChunkReader::ChunkSize) + 1, 3500000})
                    QTest::addRow("%s %s %d", s, c, size) << source << compressed << size;
            }
        }
    }
    void wholeInput()
    {
        QFETCH(int, source);
        QFETCH(bool, compressed);
        QFETCH(int, size);
        const QByteArray plain = randomLines(size, 1).left(size);
        const QByteArray stored = compressed ? gzip(plain) : plain;
        QTemporaryDir dir;
        ChunkReader r;
        QVERIFY(open(r, Source(source), stored, dir));
        QCOMPARE(r.isGzip(), compressed);
        QCOMPARE(r.rawSize(), stored.size());
        QCOMPARE(r.head(), QByteArrayView(plain).first(std::min<qsizetype>(plain.size(), ChunkReader::ChunkSize)));
        if (plain.size() < ChunkReader::ChunkSize || (!compressed && plain.size() == ChunkReader::ChunkSize))
            QVERIFY(r.headIsComplete());
        if (plain.size() > ChunkReader::ChunkSize)
            QVERIFY(!r.headIsComplete());
        QCOMPARE(readAll(r), plain);
        QCOMPARE(r.offset(), plain.size());
        QCOMPARE(r.rawConsumed(), stored.size());
        QVERIFY(!r.failed());
        QVERIFY(r.atEnd());
    }

    void fillKeeping_data()
    {
        QTest::addColumn<int>("source");
        QTest::addColumn<bool>("compressed");
        QTest::addRow("file plain") << int(Source::File) << false;
        QTest::addRow("file gzip") << int(Source::File) << true;
        QTest::addRow("memory gzip") << int(Source::Memory) << true;
    }
    void fillKeeping()
    {
        // Runs of growing length kept contiguous across chunks, as the streamed JSON parse keeps
        // one element: the window holds them whole, offsets stay right, nothing is lost or doubled.
        QFETCH(int, source);
        QFETCH(bool, compressed);
        const QByteArray plain = randomLines(9000000, 3).left(9000000);
        QTemporaryDir dir;
        ChunkReader r;
        QVERIFY(open(r, Source(source), compressed ? gzip(plain) : plain, dir));
        QByteArray read;
        qint64 keep = 1000;
        while (!r.atEnd()) {
            const char *start = r.pos;
            const qint64 at = r.offset();
            // Read on until `keep` bytes from `start` are in the window.
            while (r.end - start < keep) {
                r.pos = r.end;
                const qint64 before = r.end - start;
                if (!r.fillKeeping(start)) {
                    QCOMPARE(r.end - r.pos, 0);
                    break;
                }
                start = r.pos - before;  // the same byte, wherever the window is now
                QCOMPARE(r.offset() - before, at);
            }
            const qint64 n = std::min<qint64>(keep, r.end - start);
            QCOMPARE(QByteArrayView(start, n), QByteArrayView(plain).sliced(at, n));
            read.append(start, n);
            r.pos = start + n;
            QCOMPARE(r.offset(), at + n);
            keep = keep * 3 + 7;  // up to several chunks
            if (keep > 3 * ChunkReader::ChunkSize)
                keep = 999;
        }
        QCOMPARE(read, plain);
        QVERIFY(!r.failed());
    }

    void lines_data()
    {
        QTest::addColumn<bool>("compressed");
        QTest::addRow("plain") << false;
        QTest::addRow("gzip") << true;
    }
    void lines()
    {
        QFETCH(bool, compressed);
        const QByteArray plain = randomLines(4000000, 2);
        QTemporaryDir dir;
        ChunkReader r;
        QVERIFY(open(r, Source::File, compressed ? gzip(plain) : plain, dir));
        QList<QByteArray> expected = plain.split('\n');
        expected.removeLast();  // after the final newline
        QCOMPARE(readLines(r), expected);
    }

    void skipRestOfLine()
    {
        const QByteArray plain = "first line\n" + QByteArray(int(ChunkReader::ChunkSize) * 2, 'x') + "\nthird\n";
        ChunkReader r;
        QVERIFY(r.openBytes(gzip(plain)));
        r.setLineMode(true);
        r.pos += 5;
        r.skipRestOfLine();
        QCOMPARE(*r.pos, '\n');
        QCOMPARE(r.offset(), 10);
        ++r.pos;
        r.updateStop();
        r.skipRestOfLine();  // across two chunk refills
        QCOMPARE(r.offset(), 11 + 2 * ChunkReader::ChunkSize);
        ++r.pos;
        r.updateStop();
        QCOMPARE(QByteArray(r.pos, r.stop - r.pos), QByteArray("third"));
    }

    void gzipMembers()
    {
        const QByteArray a = randomLines(300000, 3), b = randomLines(2000000, 4);
        ChunkReader r;
        QVERIFY(r.openBytes(gzip(a) + gzip(b, 9)));
        QCOMPARE(readAll(r), a + b);
        QVERIFY(!r.failed());
    }

    void gzipDamage_data()
    {
        QTest::addColumn<QByteArray>("stored");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<int>("intact");  // bytes of output that must be right, -1: none
        const QByteArray plain = randomLines(3000000, 5);
        const QByteArray packed = gzip(plain);
        QTest::addRow("truncated") << packed.left(packed.size() / 2) << "gzip data is truncated" << 0;
        QByteArray corrupt = packed;
        for (qsizetype i = 100; i < 200; ++i)
            corrupt[i] = char(~corrupt[i]);
        // Deflate may emit wrong bytes before it notices: nothing is promised about the output.
        QTest::addRow("corrupt") << corrupt << "corrupt gzip data at compressed byte" << -1;
        QTest::addRow("junk after the stream") << packed + "junk!" << "corrupt gzip data" << int(plain.size());
        QTest::addRow("header only") << packed.left(5) << "gzip data is truncated" << 0;
    }
    void gzipDamage()
    {
        QFETCH(QByteArray, stored);
        QFETCH(QString, reason);
        QFETCH(int, intact);
        ChunkReader r;
        r.openBytes(stored);
        const QByteArray got = readAll(r);
        QVERIFY(r.failed());
        QVERIFY2(r.error().startsWith(reason), qPrintable(r.error()));
        QCOMPARE(r.errorOffset(), got.size());
        if (intact < 0)
            return;
        // What came out before the damage is a prefix of the real content.
        QVERIFY(got.size() >= intact);
        QCOMPARE(got, randomLines(3000000, 5).left(got.size()));
    }

    void outputLimit()
    {
        const QByteArray plain(3 * int(ChunkReader::ChunkSize), 'z');
        ChunkReader r;
        r.setOutputLimit(ChunkReader::ChunkSize + 10);
        r.openBytes(gzip(plain));
        const QByteArray got = readAll(r);
        QVERIFY(r.exceededLimit());
        QVERIFY(r.failed());
        QVERIFY(got.size() <= ChunkReader::ChunkSize + 10);
    }

    void progressHook()
    {
        const QByteArray plain = randomLines(3000000, 6);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p"));
        QVERIFY(writeFile(path, plain));
        ChunkReader r;
        QList<qint64> reported;
        r.setProgressHook([&](qint64 done) { reported.push_back(done); });
        QVERIFY(r.openFile(path));
        readAll(r);
        QVERIFY(reported.size() >= 3);
        QCOMPARE(reported.last(), plain.size());
        QVERIFY(std::is_sorted(reported.begin(), reported.end()));
    }
};

QTEST_GUILESS_MAIN(TestChunkReader)
#include "tst_chunkreader.moc"
