#pragma once

#include <QByteArrayView>
#include <QList>
#include <QString>

namespace spanscope {

class ImportContext;

// One input format. Detection asks every registered importer how sure it is that the input is its
// format and picks the most confident one, so a new format only has to implement sniff() and
// import() and be added to the registry in formatimporter.cpp.
class FormatImporter
{
public:
    virtual ~FormatImporter();

    virtual QString name() const = 0;
    // How sure this importer is that `head` — the first bytes of the (decompressed) input, up to
    // one chunk — is its format: 0 = not at all, 100 = certain. `complete` says head is all of it.
    virtual int sniff(QByteArrayView head, bool complete) const = 0;
    // Streams ctx.reader() into the context's sink. Problems go to the context; never throws.
    virtual void import(ImportContext &ctx) const = 0;
};

// All importers in their tie-breaking order (earlier wins a tie).
const QList<const FormatImporter *> &formatImporters();
const FormatImporter *findFormatImporter(QStringView name);
// The most confident importer for `head`, or nullptr when none scores above 0.
const FormatImporter *detectFormat(QByteArrayView head, bool complete);

struct FormatCandidate {
    const FormatImporter *importer = nullptr;
    int score = 0;
};
// Every importer scoring above 0, most confident first (ties in registry order).
QList<FormatCandidate> rankFormats(QByteArrayView head, bool complete);
// The best candidate wins only by at least this margin; closer than that the input is ambiguous
// and the import asks for --format instead of guessing.
inline constexpr int AmbiguousScoreMargin = 10;
// What the input looks like, for the error when no importer accepts it ("a JSON object with keys
// "a", "b"", "binary data starting with 00 01 …", …).
QString describeContent(QByteArrayView head, bool complete);

} // namespace spanscope
