#include "compare/textdiff.h"

#include <QTest>

using namespace spanscope;

class TestTextDiff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void words_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<QString>("expected");
        QTest::addRow("equal") << "Find hotels in Paris" << "Find hotels in Paris" << "Find hotels in Paris";
        QTest::addRow("one word replaced") << "Find cheap hotels in Paris" << "Find quiet hotels in Paris"
                                           << "Find [-cheap-]{+quiet+} hotels in Paris";
        QTest::addRow("word inserted") << "Find hotels" << "Find quiet hotels" << "Find {+quiet +}hotels";
        QTest::addRow("word deleted") << "Find quiet hotels" << "Find hotels" << "Find [-quiet -]hotels";
        QTest::addRow("blank between replacements is folded")
            << "the quick brown fox" << "the slow red fox" << "the [-quick brown-]{+slow red+} fox";
        QTest::addRow("punctuation is its own token") << "Hello, world." << "Hello; world!"
                                                      << "Hello[-,-]{+;+} world[-.-]{+!+}";
        QTest::addRow("from empty") << "" << "new text" << "{+new text+}";
        QTest::addRow("to empty") << "old text" << "" << "[-old text-]";
        QTest::addRow("unicode words") << "Température 14°C à Paris" << "Température 16°C à Paris"
                                       << "Température [-14-]{+16+}°C à Paris";
        QTest::addRow("newlines") << "line one\nline two\n" << "line one\nline 2\n" << "line one\nline [-two-]{+2+}\n";
        QTest::addRow("whole rewrite") << "alpha beta" << "gamma delta" << "[-alpha beta-]{+gamma delta+}";
    }
    void words()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(QString, expected);
        const TextDiff d = diffWords(a, b);
        QCOMPARE(textDiffToString(d), expected);
        // Equal + Removed spell A, Equal + Added spell B; no two neighbours share a kind.
        QString ra, rb;
        for (qsizetype i = 0; i < d.size(); ++i) {
            if (d[i].kind != TextDiffSegment::Added)
                ra += d[i].text;
            if (d[i].kind != TextDiffSegment::Removed)
                rb += d[i].text;
            if (i > 0)
                QVERIFY(d[i].kind != d[i - 1].kind);
            QVERIFY(!d[i].text.isEmpty());
        }
        QCOMPARE(ra, a);
        QCOMPARE(rb, b);
        QCOMPARE(hasChanges(d), a != b);
    }

    void tokens()
    {
        QStringList t;
        for (QStringView v : wordTokens(u"get_weather(city=\"Paris\")  ok"))
            t << v.toString();
        QCOMPARE(t, (QStringList{"get_weather", "(", "city", "=", "\"", "Paris", "\"", ")", "  ", "ok"}));
    }

    void stats()
    {
        const TextDiffStats s = textDiffStats(diffWords("Find cheap hotels, please", "Find quiet small hotels"));
        QCOMPARE(s.removedWords, 2);  // cheap, please
        QCOMPARE(s.addedWords, 2);    // quiet, small
    }

    void longTextsStayCorrect()
    {
        // Long enough for dtl's chunked ("huge") mode.
        QStringList wa, wb;
        for (int i = 0; i < 30000; ++i) {
            wa << QStringLiteral("w%1").arg(i % 97);
            wb << (i % 1000 == 500 ? QStringLiteral("changed") : QStringLiteral("w%1").arg(i % 97));
        }
        const QString a = wa.join(QLatin1Char(' ')), b = wb.join(QLatin1Char(' '));
        const TextDiff d = diffWords(a, b);
        QString ra, rb;
        for (const TextDiffSegment &s : d) {
            if (s.kind != TextDiffSegment::Added)
                ra += s.text;
            if (s.kind != TextDiffSegment::Removed)
                rb += s.text;
        }
        QCOMPARE(ra, a);
        QCOMPARE(rb, b);
        QCOMPARE(textDiffStats(d).addedWords, 30);
        QCOMPARE(textDiffStats(d).removedWords, 30);
    }
};

QTEST_GUILESS_MAIN(TestTextDiff)
#include "tst_textdiff.moc"
