// Every input the fuzzers ever crashed on (tests/data/regressions/TARGET/), every fuzz seed
// (tests/fuzz/seeds/TARGET/) and every trace fixture of the other suites, replayed through the
// fuzz targets' own code (tests/fuzz/fuzztargets.cpp): each must end in a valid import or a clean
// error — never a crash, a hang or a broken invariant. Runs in the normal suite with any compiler.
#include "fuzztargets.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QTest>

#include <random>

using namespace spanscope;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList filesUnder(const QString &dir)
{
    QStringList files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    files.sort();
    return files;
}

} // namespace

class TestRegressions : public QObject
{
    Q_OBJECT
private:
    const QString m_data = QStringLiteral(SPANSCOPE_TEST_DATA);
    const QString m_seeds = QStringLiteral(SPANSCOPE_SOURCE_DIR "/tests/fuzz/seeds");

    void addRowsFor(const QString &root, const QString &label)
    {
        for (const fuzz::Target &t : fuzz::targets()) {
            for (const QString &file : filesUnder(root + QLatin1Char('/') + t.name)) {
                if (file.endsWith(QLatin1String("README.md")))
                    continue;
                QTest::addRow("%s %s", qPrintable(label), qPrintable(QDir(root).relativeFilePath(file))) << t.name << file;
            }
        }
    }

    static void replay(const QString &target, const QString &file)
    {
        const fuzz::Target *t = fuzz::findTarget(target);
        QVERIFY2(t, qPrintable(target));
        const QByteArray input = readAll(file);
        QElapsedTimer timer;
        timer.start();
        const QString problem = t->run(input);
        QVERIFY2(problem.isEmpty(), qPrintable(target + QStringLiteral(" on ") + file + QStringLiteral(": ") + problem));
        // The fuzzers run with -timeout=10 under sanitizers; a plain build is far faster.
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QStringLiteral("%1 took %2 ms").arg(file).arg(timer.elapsed())));
    }

private Q_SLOTS:
    void initTestCase() { fuzz::initialize(nullptr, nullptr, true); }

    void everyTargetHasSeeds()
    {
        for (const fuzz::Target &t : fuzz::targets())
            QVERIFY2(!filesUnder(m_seeds + QLatin1Char('/') + t.name).isEmpty(), qPrintable(t.name));
        // And every regression folder names a target (a typo would silently skip its fixtures).
        for (const QString &dir : QDir(m_data + QStringLiteral("/regressions")).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            QVERIFY2(fuzz::findTarget(dir), qPrintable(QStringLiteral("tests/data/regressions/%1 is not a fuzz target").arg(dir)));
    }

    void crashFixtures_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("file");
        addRowsFor(m_data + QStringLiteral("/regressions"), QStringLiteral("regression"));
    }
    void crashFixtures()
    {
        QFETCH(QString, target);
        QFETCH(QString, file);
        replay(target, file);
    }

    void fuzzSeeds_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("file");
        addRowsFor(m_seeds, QStringLiteral("seed"));
    }
    void fuzzSeeds()
    {
        QFETCH(QString, target);
        QFETCH(QString, file);
        replay(target, file);
    }

    // The messages-json seeds, each mutated many times (deterministically): quotes, escapes,
    // brackets, digits, control and non-ASCII characters inserted, bytes deleted and slices
    // repeated, so LightJson's verdict and values are checked against nlohmann's on inputs near
    // the edge of what it takes on (tests/fuzz/run-fuzzers.sh messages-json goes further).
    void messagesJsonMutations()
    {
        const fuzz::Target *t = fuzz::findTarget(u"messages-json");
        QVERIFY(t);
        static const QByteArray pieces[] = {"\"", "\\", "{", "}", "[", "]", ",", ":", "\\u", "\\ud83d", "\\udc00",
                                            "0", "9", "-", "e", ".", " ", "\n", "\t", "\x01", "null", "true",
                                            "\xc3\xa9", "\xed\xa0\x80", "\xff", "\"type\":\"text\"", "\"content\":"};
        // SPANSCOPE_MUTATIONS=N for a longer run (N per seed; 400 by default), SPANSCOPE_MUTATION_SEED
        // for other mutations.
        const int perSeed = qEnvironmentVariableIntValue("SPANSCOPE_MUTATIONS") > 0
            ? qEnvironmentVariableIntValue("SPANSCOPE_MUTATIONS") : 400;
        std::mt19937 rng(quint32(qEnvironmentVariableIntValue("SPANSCOPE_MUTATION_SEED") + 8));
        int runs = 0;
        for (const QString &file : filesUnder(m_seeds + QStringLiteral("/messages-json"))) {
            const QByteArray seed = readAll(file);
            QVERIFY(!seed.isEmpty());
            for (int i = 0; i < perSeed; ++i) {
                QByteArray in = seed;
                const int edits = 1 + int(rng() % 4);
                for (int e = 0; e < edits; ++e) {
                    const qsizetype at = 1 + qsizetype(rng() % quint32(in.size()));  // byte 0 marks UTF-16 input
                    switch (rng() % 4) {
                    case 0: in.remove(std::min(at, in.size() - 1), 1 + qsizetype(rng() % 3)); break;
                    case 1: in.insert(std::min(at, in.size()), pieces[rng() % std::size(pieces)]); break;
                    case 2: in.insert(std::min(at, in.size()), in.mid(at, qsizetype(rng() % 40))); break;
                    default: in[std::min(at, in.size() - 1)] = char(rng()); break;
                    }
                    if (in.isEmpty())
                        in = seed;
                }
                const QString problem = t->run(in);
                QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("%1, mutation %2: %3\n%4")
                                                           .arg(file).arg(i).arg(problem, QString::fromUtf8(in.toPercentEncoding()))));
                ++runs;
            }
        }
        QVERIFY(runs >= 10 * perSeed);
    }

    // The other suites' trace files through detection and through every forced format (most
    // of them the wrong one: that must be a clean error too).
    void fixturesThroughEveryImporter_data()
    {
        QTest::addColumn<QString>("file");
        for (const QString &dir : {QStringLiteral("samples"), QStringLiteral("vendor"), QStringLiteral("formats"),
                                   QStringLiteral("semconv"), QStringLiteral("cli"), QStringLiteral("compare")}) {
            for (const QString &file : filesUnder(m_data + QLatin1Char('/') + dir)) {
                if (!file.endsWith(QLatin1String(".md")))
                    QTest::addRow("%s", qPrintable(QDir(m_data).relativeFilePath(file))) << file;
            }
        }
    }
    void fixturesThroughEveryImporter()
    {
        QFETCH(QString, file);
        for (const fuzz::Target &t : fuzz::targets()) {
            if (t.name.startsWith(QLatin1String("import-")) || t.name == QLatin1String("sse"))
                replay(t.name, file);
            if (QTest::currentTestFailed())
                return;
        }
    }
};

QTEST_GUILESS_MAIN(TestRegressions)
#include "tst_regressions.moc"
