// `cmake --install` of this build tree into a temporary prefix: exactly the expected files, icons
// that are real images of the right size, desktop files that validate, a MIME type that a desktop
// resolves, and an installed binary that runs. Touches nothing outside its temporary directories.
#include "installedtree.h"

#include <QDirIterator>
#include <QImage>
#include <QMimeDatabase>

using namespace packaging;

class TestInstall : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void layout();
    void pngIcons_data();
    void pngIcons();
    void desktopIntegration();
    void desktopFileValidate();
    void appstreamValidate();
    void mimeDatabase_data();
    void mimeDatabase();
    void installedBinary();

private:
    QString share() const { return m_prefix.filePath(QStringLiteral("share")); }

    QTemporaryDir m_prefix;
    QTemporaryDir m_files;
    bool m_mimeDatabaseBuilt = false;
};

static const int iconSizes[] = {16, 22, 24, 32, 48, 64, 128, 256, 512};

void TestInstall::initTestCase()
{
    QVERIFY(m_prefix.isValid());
    const Run r = run(QStringLiteral(SPANSCOPE_CMAKE_COMMAND),
                      {QStringLiteral("--install"), QStringLiteral(SPANSCOPE_BUILD_DIR), QStringLiteral("--prefix"),
                       m_prefix.path()});
    QVERIFY2(r.exitCode == 0, qPrintable(r.output()));
}

void TestInstall::layout()
{
    QStringList expected{
        QStringLiteral("bin/spanscope"),
        QStringLiteral("share/applications/dev.spanscope.Spanscope.desktop"),
        QStringLiteral("share/metainfo/dev.spanscope.Spanscope.metainfo.xml"),
        QStringLiteral("share/mime/packages/dev.spanscope.Spanscope.xml"),
        QStringLiteral("share/icons/hicolor/scalable/apps/dev.spanscope.Spanscope.svg"),
        QStringLiteral("share/icons/hicolor/symbolic/apps/dev.spanscope.Spanscope-symbolic.svg"),
        QStringLiteral("share/doc/spanscope/README.md"),
        QStringLiteral("share/doc/spanscope/LICENSE-genai-prices"),
        QStringLiteral("share/doc/spanscope/copyright"),
        QStringLiteral("share/doc/spanscope/changelog.gz"),
    };
    for (int size : iconSizes)
        expected << QStringLiteral("share/icons/hicolor/%1x%1/apps/dev.spanscope.Spanscope.png").arg(size);
    const QDir samples(QStringLiteral(SPANSCOPE_SOURCE_DIR "/resources/samples"));
    for (const QString &name : samples.entryList(QDir::Files))
        expected << QStringLiteral("share/doc/spanscope/examples/") + name;

    QStringList installed;
    QDirIterator it(m_prefix.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        installed << QDir(m_prefix.path()).relativeFilePath(it.next());
    installed.sort();
    expected.sort();
    // A new install() rule shows here: add the file to the list above once it belongs in the package.
    QCOMPARE(installed, expected);
    QVERIFY(QFileInfo(m_prefix.filePath(QStringLiteral("bin/spanscope"))).isExecutable());
}

void TestInstall::pngIcons_data()
{
    QTest::addColumn<int>("size");
    for (int size : iconSizes)
        QTest::addRow("%dx%d", size, size) << size;
}

void TestInstall::pngIcons()
{
    QFETCH(int, size);
    const QString path = share() + QStringLiteral("/icons/hicolor/%1x%1/apps/dev.spanscope.Spanscope.png").arg(size);
    const QImage image(path);
    QVERIFY2(!image.isNull(), qPrintable(path));
    QCOMPARE(image.size(), QSize(size, size));
    QVERIFY(image.hasAlphaChannel());
    // Transparent corners (the rounded frame), opaque middle (the icon itself).
    QCOMPARE(qAlpha(image.pixel(0, 0)), 0);
    QCOMPARE(qAlpha(image.pixel(size / 2, size / 2)), 255);
}

void TestInstall::desktopIntegration()
{
    checkDesktopIntegration(share());
}

void TestInstall::desktopFileValidate()
{
    validateDesktopEntry(share());
}

void TestInstall::appstreamValidate()
{
    validateMetainfo(share());
}

void TestInstall::mimeDatabase_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("content");
    QTest::addColumn<QString>("type");
    const QString otlp = QStringLiteral("{\n  \"resourceSpans\": []\n}\n");
    QTest::addRow("*.otlp.json") << "run.otlp.json" << otlp << "application/x-otlp-trace+json";
    // A known extension wins over content in Qt and GIO alike: only nameless files are sniffed.
    QTest::addRow("OTLP in a plain .json") << "export.json" << otlp << "application/json";
    QTest::addRow("OTLP, no extension") << "export" << otlp << "application/x-otlp-trace+json";
    QTest::addRow("OTLP in a plain .jsonl") << "runs.jsonl" << "{\"resourceSpans\": []}\n"
                                            << "application/x-otlp-trace+json";
    QTest::addRow("other .json") << "package.json" << "{\"name\": \"x\"}\n" << "application/json";
    QTest::addRow("other, no extension") << "notes" << "{\"name\": \"x\"}\n" << "text/plain";
    QTest::addRow("*.otlp.jsonl") << "runs.otlp.jsonl" << "{\"resourceSpans\": []}\n{\"resourceSpans\": []}\n"
                                  << "application/x-otlp-trace-jsonl";
    QTest::addRow("*.otlp.pb") << "run.otlp.pb" << "\x0a\x02\x0a\x00" << "application/x-otlp-trace-protobuf";
    QTest::addRow("*.binpb") << "run.binpb" << "\x0a\x02\x0a\x00" << "application/x-otlp-trace-protobuf";
}

// The installed package file compiled by update-mime-database (what shared-mime-info's dpkg trigger
// runs), then asked through Qt's QMimeDatabase as a file manager would.
void TestInstall::mimeDatabase()
{
    QFETCH(QString, file);
    QFETCH(QString, content);
    QFETCH(QString, type);
    if (!m_mimeDatabaseBuilt) {
        const QString umd = tool(QStringLiteral("update-mime-database"));
        if (umd.isEmpty())
            QSKIP("update-mime-database not found (Debian: shared-mime-info)");
        // The prefix is searched first, as it would be once installed; QMimeDatabase reads the XDG
        // directories when first used, and nothing in this process used it yet.
        QVERIFY(m_files.isValid());
        qputenv("XDG_DATA_HOME", m_files.filePath(QStringLiteral("empty")).toUtf8());
        qputenv("XDG_DATA_DIRS", (share() + QStringLiteral(":/usr/local/share:/usr/share")).toUtf8());
        const Run r = run(umd, {share() + QStringLiteral("/mime")});
        QVERIFY2(r.exitCode == 0 && r.output().trimmed().isEmpty(), qPrintable(r.output()));
        QVERIFY(QFile::exists(share() + QStringLiteral("/mime/application/x-otlp-trace+json.xml")));
        m_mimeDatabaseBuilt = true;
    }
    const QString path = m_files.filePath(file);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content.toUtf8());
    f.close();
    const QMimeDatabase db;
    QCOMPARE(db.mimeTypeForFile(path).name(), type);
    if (type == QLatin1String("application/x-otlp-trace+json"))
        QVERIFY(db.mimeTypeForName(type).inherits(QStringLiteral("application/json")));
}

void TestInstall::installedBinary()
{
    checkInstalledBinary(m_prefix.filePath(QStringLiteral("bin/spanscope")),
                         share() + QStringLiteral("/doc/spanscope/examples"));
}

QTEST_MAIN(TestInstall)
#include "tst_install.moc"
