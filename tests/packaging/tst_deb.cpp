// The Debian package: built from this build tree with cpack into a temporary directory, its control
// fields and contents checked; then, only with SPANSCOPE_TEST_DEB=1 and as root, installed with apt
// as a user would, run from /usr/bin, validated in place and purged again.
//
// Installing is opt-in because it changes the machine for a moment: /usr/bin/spanscope exists and
// the desktop, MIME and icon caches are refreshed while the test runs, and two such runs at once
// (two build trees, two developers on one machine) would install and purge under each other.
#include "installedtree.h"

#include <QElapsedTimer>
#include <QMimeDatabase>
#include <QRegularExpression>

#include <unistd.h>

using namespace packaging;

class TestDeb : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void controlFields();
    void contents();
    void installWithApt();
    void installedFiles();
    void installedDesktopIntegration();
    void installedDesktopFileValidate();
    void installedAppstreamValidate();
    void installedMimeType();
    void installedBinary();
    void cleanupTestCase();

private:
    void requireInstalled();
    QString field(const QString &name) const;

    QTemporaryDir m_out;
    QString m_deb;
    QString m_notInstalledReason = QStringLiteral("not installed");
    bool m_installed = false;
    QStringList m_extraPackages;  // pulled in by apt for this test: purged with the package
};

// Left while the package is installed by this test, so that a run killed halfway is cleaned up by
// the next one instead of being mistaken for a package someone installed.
static const QString marker = QStringLiteral(SPANSCOPE_BUILD_DIR "/tst_deb-installed-package");

static QProcessEnvironment aptEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DEBIAN_FRONTEND"), QStringLiteral("noninteractive"));
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    return env;
}

static Run apt(const QStringList &args)
{
    return run(QStringLiteral("apt-get"),
               QStringList{QStringLiteral("-y"), QStringLiteral("-o"), QStringLiteral("DPkg::Lock::Timeout=120"),
                           QStringLiteral("-o"), QStringLiteral("Dpkg::Use-Pty=0")}
                   + args,
               300000, aptEnvironment());
}

static bool packageInstalled(const QString &name)
{
    const Run r = run(QStringLiteral("dpkg-query"), {QStringLiteral("-W"), QStringLiteral("-f=${Status}"), name});
    return r.exitCode == 0 && r.out.contains(QStringLiteral("install ok installed"));
}

void TestDeb::initTestCase()
{
    for (const char *t : {"dpkg-deb", "dpkg-shlibdeps"}) {
        if (tool(QLatin1String(t)).isEmpty())
            QSKIP(qPrintable(QStringLiteral("%1 not found: the .deb needs dpkg-dev (Debian)").arg(QLatin1String(t))));
    }
    QVERIFY(m_out.isValid());
    // apt reads a local .deb as its sandbox user; let it.
    QFile::setPermissions(m_out.path(), QFile::permissions(m_out.path()) | QFile::ReadOther | QFile::ExeOther
                                            | QFile::ReadGroup | QFile::ExeGroup);
    QElapsedTimer timer;
    timer.start();
    const Run r = run(QStringLiteral(SPANSCOPE_CPACK_COMMAND),
                      {QStringLiteral("-G"), QStringLiteral("DEB"), QStringLiteral("--config"),
                       QStringLiteral(SPANSCOPE_BUILD_DIR "/CPackConfig.cmake"), QStringLiteral("-B"), m_out.path()},
                      300000);
    QVERIFY2(r.exitCode == 0, qPrintable(r.output()));
    const QStringList debs = QDir(m_out.path()).entryList({QStringLiteral("spanscope_*.deb")}, QDir::Files);
    QCOMPARE(debs.size(), 1);
    m_deb = m_out.filePath(debs.first());
    qInfo("%s: %lld KiB, built in %.1f s", qPrintable(debs.first()), QFileInfo(m_deb).size() / 1024,
          timer.elapsed() / 1000.0);
}

QString TestDeb::field(const QString &name) const
{
    return run(QStringLiteral("dpkg-deb"), {QStringLiteral("-f"), m_deb, name}).out.trimmed();
}

void TestDeb::controlFields()
{
    QCOMPARE(field(QStringLiteral("Package")), QStringLiteral("spanscope"));
    QCOMPARE(field(QStringLiteral("Version")), QStringLiteral(SPANSCOPE_VERSION));
    QCOMPARE(field(QStringLiteral("Section")), QStringLiteral("devel"));
    QCOMPARE(field(QStringLiteral("Architecture")),
             run(QStringLiteral("dpkg"), {QStringLiteral("--print-architecture")}).out.trimmed());
    QVERIFY(!field(QStringLiteral("Maintainer")).isEmpty());
    QVERIFY(field(QStringLiteral("Homepage")).startsWith(QLatin1String("https://")));
    const QString description = field(QStringLiteral("Description"));
    QVERIFY2(description.startsWith(QLatin1String("Native explorer for LLM and agent traces\n")), qPrintable(description));
    QVERIFY2(description.count(QLatin1Char('\n')) >= 3, qPrintable(description));

    // dpkg-shlibdeps' findings (with versions) plus the Qt plugins it cannot see.
    const QStringList depends = field(QStringLiteral("Depends")).split(QStringLiteral(", "));
    auto dependsOn = [&](const QString &pkg) {
        return std::any_of(depends.begin(), depends.end(), [&](const QString &d) {
            return d == pkg || d.startsWith(pkg + QLatin1Char(' '));
        });
    };
    for (const char *pkg : {"libc6", "libstdc++6", "libqt6core6", "libqt6gui6", "libqt6widgets6", "libqt6sql6",
                            "libqt6network6", "libqt6httpserver6", "libprotobuf32", "zlib1g", "libzstd1", "libqt6keychain1",
                            "qt6-qpa-plugins", "libqt6sql6-sqlite", "libqt6svg6"})
        QVERIFY2(dependsOn(QLatin1String(pkg)), qPrintable(QStringLiteral("Depends lacks %1: %2")
                                                              .arg(QLatin1String(pkg), depends.join(QStringLiteral(", ")))));
}

void TestDeb::contents()
{
    const Run r = run(QStringLiteral("dpkg-deb"), {QStringLiteral("--contents"), m_deb});
    QCOMPARE(r.exitCode, 0);
    QStringList files;
    for (const QString &line : r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const QString path = line.section(QLatin1Char(' '), -1);
        if (!path.endsWith(QLatin1Char('/')))
            files << path;
    }
    for (const QString &f : files)
        QVERIFY2(f.startsWith(QLatin1String("./usr/bin/")) || f.startsWith(QLatin1String("./usr/share/")), qPrintable(f));
    for (const QString &f : {QStringLiteral("./usr/bin/spanscope"),
                             QStringLiteral("./usr/share/applications/dev.spanscope.Spanscope.desktop"),
                             QStringLiteral("./usr/share/metainfo/dev.spanscope.Spanscope.metainfo.xml"),
                             QStringLiteral("./usr/share/mime/packages/dev.spanscope.Spanscope.xml"),
                             QStringLiteral("./usr/share/icons/hicolor/scalable/apps/dev.spanscope.Spanscope.svg"),
                             QStringLiteral("./usr/share/icons/hicolor/48x48/apps/dev.spanscope.Spanscope.png"),
                             QStringLiteral("./usr/share/doc/spanscope/LICENSE-genai-prices"),
                             QStringLiteral("./usr/share/doc/spanscope/copyright"),
                             QStringLiteral("./usr/share/doc/spanscope/changelog.gz")})
        QVERIFY2(files.contains(f), qPrintable(f));
    QCOMPARE(files.filter(QStringLiteral("/usr/bin/")), QStringList{QStringLiteral("./usr/bin/spanscope")});
}

void TestDeb::installWithApt()
{
    if (qEnvironmentVariable("SPANSCOPE_TEST_DEB") != QLatin1String("1"))
        m_notInstalledReason = QStringLiteral("set SPANSCOPE_TEST_DEB=1 (as root) to install the .deb with apt");
    else if (geteuid() != 0)
        m_notInstalledReason = QStringLiteral("installing with apt needs root");
    else if (tool(QStringLiteral("apt-get")).isEmpty() || tool(QStringLiteral("dpkg-query")).isEmpty())
        m_notInstalledReason = QStringLiteral("apt-get or dpkg-query not found");
    if (m_notInstalledReason != QLatin1String("not installed"))
        QSKIP(qPrintable(m_notInstalledReason));

    if (packageInstalled(QStringLiteral("spanscope"))) {
        QFile stale(marker);
        if (!stale.open(QIODevice::ReadOnly)) {
            m_notInstalledReason = QStringLiteral("a spanscope package is already installed; not touching it");
            QSKIP(qPrintable(m_notInstalledReason));
        }
        const QStringList leftOver = QString::fromUtf8(stale.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        qInfo("purging what an interrupted run left installed: %s", qPrintable(leftOver.join(QLatin1Char(' '))));
        const Run purge = apt(QStringList{QStringLiteral("purge")} + leftOver);
        QVERIFY2(purge.exitCode == 0, qPrintable(purge.output()));
    }
    QFile::remove(marker);

    // What apt would install besides Spanscope (nothing on a machine that builds it): remembered, so
    // that the purge afterwards leaves the machine as it was.
    const Run sim = apt({QStringLiteral("install"), QStringLiteral("--simulate"),
                         QStringLiteral("--no-install-recommends"), m_deb});
    QVERIFY2(sim.exitCode == 0, qPrintable(sim.output()));
    static const QRegularExpression inst(QStringLiteral("^Inst (\\S+)"), QRegularExpression::MultilineOption);
    for (auto it = inst.globalMatch(sim.out); it.hasNext();) {
        const QString pkg = it.next().captured(1);
        if (pkg != QLatin1String("spanscope"))
            m_extraPackages << pkg;
    }
    if (!m_extraPackages.isEmpty())
        qInfo("apt also installs: %s (purged afterwards)", qPrintable(m_extraPackages.join(QLatin1Char(' '))));

    QFile mark(marker);
    QVERIFY(mark.open(QIODevice::WriteOnly));
    mark.write((QStringList{QStringLiteral("spanscope")} + m_extraPackages).join(QLatin1Char('\n')).toUtf8());
    mark.close();
    QElapsedTimer timer;
    timer.start();
    const Run r = apt({QStringLiteral("install"), QStringLiteral("--no-install-recommends"), m_deb});
    m_installed = true;  // whatever apt did, cleanupTestCase purges
    QVERIFY2(r.exitCode == 0, qPrintable(r.output()));
    QVERIFY(packageInstalled(QStringLiteral("spanscope")));
    qInfo("apt-get install took %.1f s", timer.elapsed() / 1000.0);
}

void TestDeb::requireInstalled()
{
    if (!m_installed)
        QSKIP(qPrintable(m_notInstalledReason));
}

void TestDeb::installedFiles()
{
    requireInstalled();
    if (!m_installed)
        return;
    const Run r = run(QStringLiteral("dpkg"), {QStringLiteral("-L"), QStringLiteral("spanscope")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.split(QLatin1Char('\n')).contains(QStringLiteral("/usr/bin/spanscope")));
    QVERIFY(QFileInfo(QStringLiteral("/usr/bin/spanscope")).isExecutable());
}

void TestDeb::installedDesktopIntegration()
{
    requireInstalled();
    if (m_installed)
        checkDesktopIntegration(QStringLiteral("/usr/share"));
}

void TestDeb::installedDesktopFileValidate()
{
    requireInstalled();
    if (m_installed)
        validateDesktopEntry(QStringLiteral("/usr/share"));
}

void TestDeb::installedAppstreamValidate()
{
    requireInstalled();
    if (m_installed)
        validateMetainfo(QStringLiteral("/usr/share"));
}

// shared-mime-info's dpkg trigger compiled the package's MIME file into the system database.
void TestDeb::installedMimeType()
{
    requireInstalled();
    if (!m_installed)
        return;
    QVERIFY(QFile::exists(QStringLiteral("/usr/share/mime/application/x-otlp-trace+json.xml")));
    qputenv("XDG_DATA_DIRS", "/usr/share");
    const QMimeDatabase db;
    QCOMPARE(db.mimeTypeForFile(QStringLiteral("/usr/share/doc/spanscope/examples/genai-agent-runs.jsonl")).name(),
             QStringLiteral("application/x-otlp-trace+json"));  // by content (magic)
    QCOMPARE(db.mimeTypeForFile(QStringLiteral("trace.otlp.pb"), QMimeDatabase::MatchExtension).name(),
             QStringLiteral("application/x-otlp-trace-protobuf"));
}

void TestDeb::installedBinary()
{
    requireInstalled();
    if (m_installed)
        checkInstalledBinary(QStringLiteral("/usr/bin/spanscope"), QStringLiteral("/usr/share/doc/spanscope/examples"));
}

void TestDeb::cleanupTestCase()
{
    if (!m_installed)
        return;
    const Run r = apt(QStringList{QStringLiteral("purge"), QStringLiteral("spanscope")} + m_extraPackages);
    QVERIFY2(r.exitCode == 0, qPrintable(r.output()));
    QVERIFY(!packageInstalled(QStringLiteral("spanscope")));
    QVERIFY(!QFile::exists(QStringLiteral("/usr/bin/spanscope")));
    QVERIFY(!QFile::exists(QStringLiteral("/usr/share/mime/application/x-otlp-trace+json.xml")));
    QFile::remove(marker);
}

QTEST_MAIN(TestDeb)
#include "tst_deb.moc"
