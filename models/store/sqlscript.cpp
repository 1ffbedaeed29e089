#include "sqlscript.h"

#include <QFile>
#include <QRegularExpression>

namespace spanscope {

namespace {
bool isIdentifierChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('$');
}

bool isTriggerDefinition(const QString &statement)
{
    static const QRegularExpression re(QStringLiteral("^\\s*CREATE\\s+(TEMP\\s+|TEMPORARY\\s+)?TRIGGER\\b"),
                                       QRegularExpression::CaseInsensitiveOption);
    return re.match(statement).hasMatch();
}

bool endsWithEndKeyword(const QString &statement)
{
    const QString s = statement.trimmed();
    if (s.size() < 3 || s.right(3).compare(QLatin1String("END"), Qt::CaseInsensitive) != 0)
        return false;
    return s.size() == 3 || !isIdentifierChar(s.at(s.size() - 4));
}
} // namespace

QStringList SqlScript::split(QStringView script)
{
    QStringList statements;
    QString current;
    const qsizetype n = script.size();
    qsizetype i = 0;
    auto flush = [&] {
        const QString s = current.trimmed();
        if (!s.isEmpty())
            statements << s;
        current.clear();
    };
    while (i < n) {
        const QChar c = script.at(i);
        const QChar next = i + 1 < n ? script.at(i + 1) : QChar();
        if (c == QLatin1Char('-') && next == QLatin1Char('-')) {
            while (i < n && script.at(i) != QLatin1Char('\n'))
                ++i;
            current += QLatin1Char(' ');
            continue;
        }
        if (c == QLatin1Char('/') && next == QLatin1Char('*')) {
            i += 2;
            while (i + 1 < n && !(script.at(i) == QLatin1Char('*') && script.at(i + 1) == QLatin1Char('/')))
                ++i;
            i = std::min(i + 2, n);
            current += QLatin1Char(' ');
            continue;
        }
        if (c == QLatin1Char('$') && (i == 0 || !isIdentifierChar(script.at(i - 1)))) {
            // A PostgreSQL dollar-quoted string ($$ … $$ or $tag$ … $tag$), e.g. a function body.
            qsizetype j = i + 1;
            while (j < n && (script.at(j).isLetter() || script.at(j) == QLatin1Char('_')))
                ++j;
            if (j < n && script.at(j) == QLatin1Char('$')) {
                const QStringView tag = script.mid(i, j - i + 1);
                const qsizetype end = script.indexOf(tag, j + 1);
                const qsizetype stop = end < 0 ? n : end + tag.size();
                current += script.mid(i, stop - i);
                i = stop;
                continue;
            }
        }
        if (c == QLatin1Char('\'') || c == QLatin1Char('"') || c == QLatin1Char('`') || c == QLatin1Char('[')) {
            const QChar close = c == QLatin1Char('[') ? QLatin1Char(']') : c;
            current += c;
            ++i;
            while (i < n) {
                const QChar q = script.at(i);
                current += q;
                ++i;
                if (q == close) {
                    // A doubled quote is an escaped quote, not the end of the literal.
                    if (close != QLatin1Char(']') && i < n && script.at(i) == close) {
                        current += close;
                        ++i;
                        continue;
                    }
                    break;
                }
            }
            continue;
        }
        if (c == QLatin1Char(';')) {
            if (isTriggerDefinition(current) && !endsWithEndKeyword(current)) {
                current += c;
                ++i;
                continue;
            }
            flush();
            ++i;
            continue;
        }
        current += c;
        ++i;
    }
    flush();
    return statements;
}

QStringList SqlScript::load(const QString &fileName, QString *error)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = file.errorString();
        return {};
    }
    return split(QString::fromUtf8(file.readAll()));
}

} // namespace spanscope
