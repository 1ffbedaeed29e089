#include "tracestats.h"

#include "spaninterval.h"

#include <QHash>

#include <algorithm>
#include <array>

namespace spanscope {

QList<qint64> TraceStats::selfTimes(const Trace &trace)
{
    const int n = trace.size();
    QList<qint64> self(n, 0);
    for (int i = 0; i < n; ++i) {
        const SpanInterval iv = spanInterval(trace, i);
        // Children come sorted by start; clipping the start to the parent keeps them sorted, so
        // one sweep merges the overlaps.
        qint64 covered = 0;
        qint64 runStart = 0;
        qint64 runEnd = -1;
        bool inRun = false;
        for (int c : trace.children(i)) {
            const SpanInterval civ = spanInterval(trace, c);
            const qint64 s = std::clamp(civ.startNs, iv.startNs, iv.endNs);
            const qint64 e = std::clamp(civ.endNs, iv.startNs, iv.endNs);
            if (e <= s)
                continue;
            if (inRun && s <= runEnd) {
                runEnd = std::max(runEnd, e);
            } else {
                if (inRun)
                    covered += runEnd - runStart;
                runStart = s;
                runEnd = e;
                inRun = true;
            }
        }
        if (inRun)
            covered += runEnd - runStart;
        self[i] = iv.durationNs() - covered;
    }
    return self;
}

TraceStats TraceStats::compute(const Trace &trace)
{
    TraceStats stats;
    stats.totals = summarize(trace.spans());
    const QList<qint64> self = selfTimes(trace);

    std::array<StatsBucket, SpanKindCount> kinds{};
    QHash<QString, StatsBucket> models;
    auto add = [](StatsBucket &b, const Span &s, qint64 total, qint64 selfNs) {
        ++b.spans;
        if (s.isError())
            ++b.errors;
        b.totalNs += total;
        b.selfNs += selfNs;
        b.inputTokens += std::max<qint64>(s.tokens.input, 0);
        b.outputTokens += std::max<qint64>(s.tokens.output, 0);
        if (s.cost.isKnown())
            b.costUsd += s.cost.totalUsd;
    };
    for (int i = 0; i < trace.size(); ++i) {
        const Span &s = trace.span(i);
        const qint64 total = spanInterval(trace, i).durationNs();
        const auto k = std::min<size_t>(static_cast<size_t>(s.kind), kinds.size() - 1);
        add(kinds[k], s, total, self[i]);
        const QString model = s.model();
        if (!model.isEmpty())
            add(models[model], s, total, self[i]);
    }
    for (int k = 0; k < SpanKindCount; ++k) {
        if (kinds[size_t(k)].spans > 0)
            stats.byKind.push_back({static_cast<SpanKind>(k), kinds[size_t(k)]});
    }
    for (auto it = models.cbegin(); it != models.cend(); ++it)
        stats.byModel.push_back({it.key(), it.value()});
    std::sort(stats.byModel.begin(), stats.byModel.end(),
              [](const ModelStats &a, const ModelStats &b) { return a.model < b.model; });
    return stats;
}

} // namespace spanscope
