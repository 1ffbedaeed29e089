#pragma once

#include <QList>
#include <QString>

namespace spanscope {

// A run of text that is in both versions, only in the old one (A) or only in the new one (B).
struct TextDiffSegment {
    enum Kind : quint8 { Equal, Removed, Added };
    Kind kind = Equal;
    QString text;
    friend bool operator==(const TextDiffSegment &, const TextDiffSegment &) = default;
};
using TextDiff = QList<TextDiffSegment>;

// Word-level diff: the texts are cut into words (letters, digits, '_'), runs of white space and
// single punctuation characters, and the token sequences are diffed. Equal + Removed segments spell
// A, Equal + Added spell B. Neighbouring segments never share a kind, a Removed segment comes
// before the Added one it was replaced by, and white space between two replacements is folded
// into them ("[-quick brown-]{+slow red+}" rather than "[-quick-]{+slow+} [-brown-]{+red+}").
TextDiff diffWords(const QString &a, const QString &b);

bool hasChanges(const TextDiff &diff);
// How many words were removed and added (white space and punctuation not counted).
struct TextDiffStats {
    int removedWords = 0;
    int addedWords = 0;
};
TextDiffStats textDiffStats(const TextDiff &diff);

// git's --word-diff=plain notation: "the [-quick-]{+slow+} fox". For tests, logs and the CLI.
QString textDiffToString(const TextDiff &diff);

// The tokens diffWords() works on (exposed for tests).
QList<QStringView> wordTokens(QStringView text);

} // namespace spanscope
