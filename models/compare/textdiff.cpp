#include "textdiff.h"

#include "sequencediff.h"

#include <QHash>

namespace spanscope {

namespace {

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_') || c.isMark();
}

bool isBlank(QStringView s)
{
    for (QChar c : s) {
        if (!c.isSpace())
            return false;
    }
    return true;
}

// A change region: what A had there and what B has instead (either may be empty).
struct Piece {
    bool equal = true;
    QString text;     // equal pieces
    QString removed;  // change pieces
    QString added;
};

} // namespace

QList<QStringView> wordTokens(QStringView text)
{
    QList<QStringView> tokens;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        const qsizetype start = i;
        const QChar c = text.at(i);
        if (c.isSpace()) {
            while (i < n && text.at(i).isSpace())
                ++i;
        } else if (isWordChar(c)) {
            while (i < n && isWordChar(text.at(i)))
                ++i;
        } else {
            // A surrogate pair stays one token.
            i += (c.isHighSurrogate() && i + 1 < n && text.at(i + 1).isLowSurrogate()) ? 2 : 1;
        }
        tokens.append(text.mid(start, i - start));
    }
    return tokens;
}

TextDiff diffWords(const QString &a, const QString &b)
{
    TextDiff out;
    if (a == b) {
        if (!a.isEmpty())
            out.append({TextDiffSegment::Equal, a});
        return out;
    }
    // Only words and punctuation are aligned; the white space after each travels with it. Were
    // blanks tokens of their own, the LCS would happily pair spaces instead of words.
    struct Unit {
        QStringView word;   // empty for leading white space
        QStringView space;
    };
    auto units = [](const QString &text) {
        QList<Unit> list;
        for (QStringView t : wordTokens(text)) {
            if (t.front().isSpace()) {
                if (list.isEmpty())
                    list.append({QStringView(), t});
                else
                    list.last().space = t;
            } else {
                list.append({t, QStringView()});
            }
        }
        return list;
    };
    const QList<Unit> ua = units(a);
    const QList<Unit> ub = units(b);
    // Words become symbols so dtl compares ints, not strings.
    QHash<QStringView, int> ids;
    auto symbols = [&ids](const QList<Unit> &list) {
        std::vector<int> s;
        s.reserve(list.size());
        for (const Unit &u : list) {
            auto it = ids.constFind(u.word);
            if (it == ids.constEnd())
                it = ids.insert(u.word, int(ids.size()));
            s.push_back(it.value());
        }
        return s;
    };
    const std::vector<int> sa = symbols(ua);
    const std::vector<int> sb = symbols(ub);

    QList<Piece> pieces;
    auto equal = [&pieces](QStringView t) {
        if (t.isEmpty())
            return;
        if (pieces.isEmpty() || !pieces.last().equal)
            pieces.append(Piece{true, {}, {}, {}});
        pieces.last().text += t;
    };
    auto change = [&pieces]() -> Piece & {
        if (pieces.isEmpty() || pieces.last().equal)
            pieces.append(Piece{false, {}, {}, {}});
        return pieces.last();
    };
    for (const EditOp &op : diffSequences(sa, sb)) {
        switch (op.type) {
        case EditOp::Common: {
            const Unit &x = ua.at(op.a);
            const Unit &y = ub.at(op.b);
            equal(x.word);
            if (x.space == y.space) {
                equal(x.space);
            } else {
                Piece &p = change();
                p.removed += x.space;
                p.added += y.space;
            }
            break;
        }
        case EditOp::Removed: {
            Piece &p = change();
            p.removed += ua.at(op.a).word;
            p.removed += ua.at(op.a).space;
            break;
        }
        case EditOp::Added: {
            Piece &p = change();
            p.added += ub.at(op.b).word;
            p.added += ub.at(op.b).space;
            break;
        }
        }
    }
    // White space that both sides of a replacement end with belongs to the text that follows
    // ("[-cheap-]{+quiet+} hotels", not "[-cheap -]{+quiet +}hotels").
    QList<Piece> trimmed;
    for (qsizetype i = 0; i < pieces.size(); ++i) {
        Piece p = pieces.at(i);
        QString carry;
        if (!p.equal && !p.removed.isEmpty() && !p.added.isEmpty()) {
            qsizetype k = 0;
            while (k < p.removed.size() && k < p.added.size() && p.removed.at(p.removed.size() - 1 - k).isSpace()
                   && p.removed.at(p.removed.size() - 1 - k) == p.added.at(p.added.size() - 1 - k))
                ++k;
            if (k > 0 && k < p.removed.size() && k < p.added.size()) {
                carry = p.removed.right(k);
                p.removed.chop(k);
                p.added.chop(k);
            }
        }
        trimmed.append(p);
        if (!carry.isEmpty()) {
            if (i + 1 < pieces.size() && pieces.at(i + 1).equal) {
                pieces[i + 1].text.prepend(carry);
            } else {
                trimmed.append(Piece{true, carry, {}, {}});
            }
        }
    }
    // Fold blank equal pieces that sit between two changes into them.
    QList<Piece> folded;
    for (qsizetype i = 0; i < trimmed.size(); ++i) {
        const Piece &p = trimmed.at(i);
        if (p.equal && isBlank(p.text) && !folded.isEmpty() && !folded.last().equal && i + 1 < trimmed.size()
            && !trimmed.at(i + 1).equal) {
            Piece &prev = folded.last();
            const Piece &next = trimmed.at(i + 1);
            prev.removed += p.text + next.removed;
            prev.added += p.text + next.added;
            ++i;
            continue;
        }
        folded.append(p);
    }
    for (const Piece &p : std::as_const(folded)) {
        if (p.equal) {
            if (!p.text.isEmpty())
                out.append({TextDiffSegment::Equal, p.text});
            continue;
        }
        if (!p.removed.isEmpty())
            out.append({TextDiffSegment::Removed, p.removed});
        if (!p.added.isEmpty())
            out.append({TextDiffSegment::Added, p.added});
    }
    return out;
}

bool hasChanges(const TextDiff &diff)
{
    for (const TextDiffSegment &s : diff) {
        if (s.kind != TextDiffSegment::Equal)
            return true;
    }
    return false;
}

TextDiffStats textDiffStats(const TextDiff &diff)
{
    TextDiffStats stats;
    for (const TextDiffSegment &s : diff) {
        if (s.kind == TextDiffSegment::Equal)
            continue;
        int words = 0;
        for (QStringView t : wordTokens(s.text)) {
            if (isWordChar(t.front()))
                ++words;
        }
        (s.kind == TextDiffSegment::Removed ? stats.removedWords : stats.addedWords) += words;
    }
    return stats;
}

QString textDiffToString(const TextDiff &diff)
{
    QString out;
    for (const TextDiffSegment &s : diff) {
        switch (s.kind) {
        case TextDiffSegment::Equal: out += s.text; break;
        case TextDiffSegment::Removed: out += QStringLiteral("[-") + s.text + QStringLiteral("-]"); break;
        case TextDiffSegment::Added: out += QStringLiteral("{+") + s.text + QStringLiteral("+}"); break;
        }
    }
    return out;
}

} // namespace spanscope
