#pragma once

// Running the real `spanscope` binary as a script would (tests/cli). SPANSCOPE_BINARY and
// SPANSCOPE_TEST_DATA come from CMake.

#include <QByteArray>
#include <QDebug>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace clitest {

struct Run {
    int exitCode = -1;      // -1: crashed or timed out
    QString out;
    QString err;
    QByteArray rawOut;      // stdout as written (binary exports)
};

inline Run spanscope(const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(SPANSCOPE_BINARY), args);
    if (!p.waitForFinished(120000))
        p.kill();
    Run r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.rawOut = p.readAllStandardOutput();
    r.out = QString::fromUtf8(r.rawOut);
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

// stdout as a JSON object; a warning with what was printed when it is not one.
inline QJsonObject json(const Run &r)
{
    QJsonParseError e;
    const QJsonDocument d = QJsonDocument::fromJson(r.out.toUtf8(), &e);
    if (e.error != QJsonParseError::NoError)
        qWarning() << "not JSON:" << e.errorString() << r.out.left(500) << r.err;
    return d.object();
}

inline QString testData(const QString &relative)
{
    return QStringLiteral(SPANSCOPE_TEST_DATA "/") + relative;
}

} // namespace clitest
