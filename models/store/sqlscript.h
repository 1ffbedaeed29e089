#pragma once

#include <QString>
#include <QStringList>

namespace spanscope {

// A multi-statement SQL script (a migration resource) split into single statements, because a
// QSqlQuery runs only the first statement of its text.
class SqlScript
{
public:
    // Splits at ';' outside string literals, quoted identifiers, PostgreSQL dollar-quoted strings
    // ($$ … $$, $tag$ … $tag$) and comments; comments are dropped.
    // A CREATE TRIGGER statement runs up to the ';' after its closing END (as sqlite3_complete()
    // sees it, a body statement that itself ends in "CASE … END;" would end the trigger early).
    static QStringList split(QStringView script);
    // Reads a script from a file or a Qt resource; empty list and `error` set when unreadable.
    static QStringList load(const QString &fileName, QString *error = nullptr);
};

} // namespace spanscope
