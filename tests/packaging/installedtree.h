// Checks shared by tst_install (a `cmake --install` prefix) and tst_deb (the .deb installed in /usr):
// both look at an installed tree the way a desktop and a user would.
#pragma once

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

namespace packaging {

inline const QString appId = QStringLiteral("dev.spanscope.Spanscope");

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
    QString output() const { return out + err; }
};

inline Run run(const QString &program, const QStringList &args, int timeoutMs = 120000,
               const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
               const QString &workingDir = {})
{
    QProcess p;
    p.setProcessEnvironment(env);
    if (!workingDir.isEmpty())
        p.setWorkingDirectory(workingDir);
    p.start(program, args);
    if (!p.waitForStarted(10000))
        return {-1, {}, QStringLiteral("cannot start %1: %2").arg(program, p.errorString())};
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        return {-1, QString::fromUtf8(p.readAllStandardOutput()),
                QStringLiteral("%1 timed out after %2 s\n").arg(program).arg(timeoutMs / 1000)
                    + QString::fromUtf8(p.readAllStandardError())};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

inline QString tool(const QString &name)
{
    return QStandardPaths::findExecutable(name);
}

// The MIME types the package declares, read from its shared-mime-info file.
inline QStringList declaredMimeTypes(const QString &mimeXml)
{
    QFile f(mimeXml);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QStringList types;
    QXmlStreamReader xml(&f);
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("mime-type"))
            types << xml.attributes().value(QLatin1String("type")).toString();
    }
    if (xml.hasError())
        return {QStringLiteral("<XML error: %1>").arg(xml.errorString())};
    return types;
}

// key -> value of the [Desktop Entry] group.
inline QHash<QString, QString> desktopEntry(const QString &path)
{
    QHash<QString, QString> entry;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return entry;
    bool inGroup = false;
    while (!f.atEnd()) {
        const QString line = QString::fromUtf8(f.readLine()).trimmed();
        if (line.startsWith(QLatin1Char('[')))
            inGroup = line == QLatin1String("[Desktop Entry]");
        else if (inGroup && line.contains(QLatin1Char('=')) && !line.startsWith(QLatin1Char('#')))
            entry.insert(line.section(QLatin1Char('='), 0, 0).trimmed(), line.section(QLatin1Char('='), 1).trimmed());
    }
    return entry;
}

// share/ of an installed tree: the desktop entry, the metainfo and the MIME type are there and
// agree on the app id, the version and the MIME types.
inline void checkDesktopIntegration(const QString &share)
{
    const QString desktop = share + QStringLiteral("/applications/") + appId + QStringLiteral(".desktop");
    const QString metainfo = share + QStringLiteral("/metainfo/") + appId + QStringLiteral(".metainfo.xml");
    const QString mime = share + QStringLiteral("/mime/packages/") + appId + QStringLiteral(".xml");
    QVERIFY2(QFile::exists(desktop), qPrintable(desktop));
    QVERIFY2(QFile::exists(metainfo), qPrintable(metainfo));
    QVERIFY2(QFile::exists(mime), qPrintable(mime));

    const auto entry = desktopEntry(desktop);
    QCOMPARE(entry.value(QStringLiteral("Exec")), QStringLiteral("spanscope %F"));
    QCOMPARE(entry.value(QStringLiteral("Icon")), appId);
    QVERIFY(entry.value(QStringLiteral("Categories")).split(QLatin1Char(';')).contains(QStringLiteral("Development")));
    QStringList desktopTypes = entry.value(QStringLiteral("MimeType")).split(QLatin1Char(';'), Qt::SkipEmptyParts);
    QStringList mimeTypes = declaredMimeTypes(mime);
    desktopTypes.sort();
    mimeTypes.sort();
    QVERIFY(!mimeTypes.isEmpty());
    QCOMPARE(desktopTypes, mimeTypes);

    QFile mf(metainfo);
    QVERIFY(mf.open(QIODevice::ReadOnly));
    const QString meta = QString::fromUtf8(mf.readAll());
    QVERIFY(meta.contains(QStringLiteral("<id>%1</id>").arg(appId)));
    QVERIFY(meta.contains(QStringLiteral("<launchable type=\"desktop-id\">%1.desktop</launchable>").arg(appId)));
    QVERIFY2(meta.contains(QStringLiteral("<release version=\"" SPANSCOPE_VERSION "\"")),
             "the metainfo's <release> is not the project version");
    for (const QString &type : std::as_const(mimeTypes))
        QVERIFY2(meta.contains(QStringLiteral("<mediatype>%1</mediatype>").arg(type)), qPrintable(type));

}

// Debian's validators, which must have no remark at all; skipped where they are not installed.
inline void validateDesktopEntry(const QString &share)
{
    const QString dfv = tool(QStringLiteral("desktop-file-validate"));
    if (dfv.isEmpty())
        QSKIP("desktop-file-validate not found (Debian: desktop-file-utils)");
    const Run r = run(dfv, {share + QStringLiteral("/applications/") + appId + QStringLiteral(".desktop")});
    QVERIFY2(r.exitCode == 0 && r.output().trimmed().isEmpty(), qPrintable(r.output()));
}

inline void validateMetainfo(const QString &share)
{
    const QString asc = tool(QStringLiteral("appstreamcli"));
    if (asc.isEmpty())
        QSKIP("appstreamcli not found (Debian: appstream)");
    const Run r = run(asc, {QStringLiteral("validate"), QStringLiteral("--no-net"), QStringLiteral("--pedantic"),
                            share + QStringLiteral("/metainfo/") + appId + QStringLiteral(".metainfo.xml")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.output()));
}

// An installed binary: version, help that names the GUI and every subcommand, and an import of a
// shipped example into a fresh workspace, read back with `traces --json`.
inline void checkInstalledBinary(const QString &binary, const QString &examples)
{
    QVERIFY2(QFileInfo(binary).isExecutable(), qPrintable(binary));
    QTemporaryDir home;
    QVERIFY(home.isValid());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("SPANSCOPE_DB"));
    env.insert(QStringLiteral("HOME"), home.path());  // the default workspace must not be touched
    env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));

    Run r = run(binary, {QStringLiteral("--version")}, 30000, env);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out.trimmed(), QStringLiteral("spanscope " SPANSCOPE_VERSION));

    r = run(binary, {QStringLiteral("--help")}, 30000, env);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QStringLiteral("open the explorer")), qPrintable(r.out));
    for (const char *cmd : {"import", "traces", "show", "diff", "export", "render", "serve"})
        QVERIFY2(r.out.contains(QStringLiteral("spanscope %1 ").arg(QLatin1String(cmd))),
                 qPrintable(QStringLiteral("--help does not mention `%1`:\n%2").arg(QLatin1String(cmd), r.out)));

    const QString db = home.filePath(QStringLiteral("workspace.sqlite"));
    const QStringList samples = {QStringLiteral("otlp-trace.json"), QStringLiteral("otlp-genai-sdk-generated.binpb"),
                                 QStringLiteral("genai-agent-runs.jsonl")};
    QStringList importArgs{QStringLiteral("import"), QStringLiteral("--db"), db};
    for (const QString &s : samples) {
        QVERIFY2(QFile::exists(examples + QLatin1Char('/') + s), qPrintable(examples + QLatin1Char('/') + s));
        importArgs << examples + QLatin1Char('/') + s;
    }
    r = run(binary, importArgs, 120000, env);
    QVERIFY2(r.exitCode == 0, qPrintable(r.output()));

    r = run(binary, {QStringLiteral("traces"), QStringLiteral("--db"), db, QStringLiteral("--json")}, 60000, env);
    QVERIFY2(r.exitCode == 0, qPrintable(r.output()));
    const QJsonArray traces = QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("traces")).toArray();
    QVERIFY2(traces.size() >= 3, qPrintable(r.out.left(500)));
    QVERIFY2(!QFileInfo::exists(home.filePath(QStringLiteral("data/Spanscope/spanscope/workspace.sqlite"))),
             "the default workspace was created although --db was given");
}

} // namespace packaging
