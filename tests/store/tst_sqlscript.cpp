#include "store/sqlscript.h"

#include <QTest>

using namespace spanscope;

class TestSqlScript : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void split_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QStringList>("statements");
        QTest::addRow("two statements") << "CREATE TABLE a (x);\nCREATE TABLE b (y);"
                                        << QStringList{"CREATE TABLE a (x)", "CREATE TABLE b (y)"};
        QTest::addRow("no final semicolon") << "SELECT 1;\nSELECT 2" << QStringList{"SELECT 1", "SELECT 2"};
        QTest::addRow("comments dropped") << "-- heading; with a semicolon\nSELECT 1; /* block; comment */ SELECT 2;"
                                          << QStringList{"SELECT 1", "SELECT 2"};
        QTest::addRow("semicolon in string") << "INSERT INTO t VALUES ('a;b', 'it''s; fine');"
                                             << QStringList{"INSERT INTO t VALUES ('a;b', 'it''s; fine')"};
        QTest::addRow("semicolon in identifiers") << "CREATE TABLE \"x;y\" ([a;b], `c;d`);"
                                                  << QStringList{"CREATE TABLE \"x;y\" ([a;b], `c;d`)"};
        QTest::addRow("comment marker in string") << "SELECT '--not a comment;';"
                                                  << QStringList{"SELECT '--not a comment;'"};
        QTest::addRow("dollar-quoted function body")
            << "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  DELETE FROM b; RETURN NULL;\nEND;\n$$;\n"
               "SELECT $tag$a;b$tag$, x$y;"
            << QStringList{"CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  DELETE FROM b; RETURN NULL;\nEND;\n$$",
                           "SELECT $tag$a;b$tag$, x$y"};
        QTest::addRow("trigger body")
            << "CREATE TRIGGER t AFTER DELETE ON a BEGIN\n  DELETE FROM b;\n  UPDATE c SET n = n - 1;\nEND;\nSELECT 1;"
            << QStringList{"CREATE TRIGGER t AFTER DELETE ON a BEGIN\n  DELETE FROM b;\n  UPDATE c SET n = n - 1;\nEND",
                           "SELECT 1"};
        QTest::addRow("temp trigger, lower case")
            << "create temp trigger t after insert on a begin select 1; end; select 2;"
            << QStringList{"create temp trigger t after insert on a begin select 1; end", "select 2"};
        QTest::addRow("CASE END outside a trigger") << "SELECT CASE WHEN 1 THEN 2 END; SELECT 3;"
                                                    << QStringList{"SELECT CASE WHEN 1 THEN 2 END", "SELECT 3"};
        QTest::addRow("column named endpoint inside trigger")
            << "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET endpoint = 1; END;"
            << QStringList{"CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET endpoint = 1; END"};
        QTest::addRow("empty statements skipped") << ";;\n  ;SELECT 1;;" << QStringList{"SELECT 1"};
        QTest::addRow("only a comment") << "-- nothing here" << QStringList{};
        QTest::addRow("unterminated block comment") << "SELECT 1; /* never closed" << QStringList{"SELECT 1"};
    }

    void split()
    {
        QFETCH(QString, script);
        QFETCH(QStringList, statements);
        QCOMPARE(SqlScript::split(script), statements);
    }

    void loadReportsMissingFile()
    {
        QString error;
        QVERIFY(SqlScript::load(QStringLiteral("/nonexistent/script.sql"), &error).isEmpty());
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSqlScript)
#include "tst_sqlscript.moc"
