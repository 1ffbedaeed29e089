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
