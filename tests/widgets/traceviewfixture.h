#pragma once

// Traces for the trace view's test and benchmark, built in code.

#include "trace/trace.h"

#include <QRandomGenerator>

#include <memory>

namespace traceviewfixture {

using namespace spanscope;

constexpr qint64 kMs = 1'000'000;
constexpr qint64 kT0 = 1'700'000'000'000'000'000;  // an epoch in ns

inline Span makeSpan(const QString &id, const QString &parent, const QString &name, SpanKind kind, qint64 startMs,
                     qint64 endMs)
{
    Span s;
    s.traceId = QStringLiteral("4bf92f3577b34da6a3ce929d0e0e4736");
    s.spanId = id;
    s.parentSpanId = parent;
    s.name = name;
    s.kind = kind;
    s.serviceName = QStringLiteral("research-bot");
    s.startNs = kT0 + startMs * kMs;
    s.endNs = endMs < 0 ? 0 : kT0 + endMs * kMs;
    s.status = StatusCode::Ok;
    return s;
}

inline Span llm(const QString &id, const QString &parent, const QString &name, qint64 s, qint64 e, const QString &model,
                qint64 in, qint64 out, double cost, CostSource source = CostSource::Reported)
{
    Span sp = makeSpan(id, parent, name, SpanKind::Llm, s, e);
    sp.requestModel = model;
    sp.responseModel = model;
    sp.provider = QStringLiteral("openai");
    sp.tokens.input = in;
    sp.tokens.output = out;
    sp.tokens.total = in + out;
    sp.cost.totalUsd = cost;
    sp.cost.source = source;
    return sp;
}

// An agent run: LLM calls, tool calls, a retriever with an embedding, a chain, one failing tool,
// one tool still running, and an orphan whose parent never arrived. 12 s long.
inline SpanList fixtureSpans()
{
    SpanList l;
    l << makeSpan(QStringLiteral("root"), {}, QStringLiteral("research-agent"), SpanKind::Agent, 0, 12000);
    l << llm(QStringLiteral("plan"), QStringLiteral("root"), QStringLiteral("plan research steps"), 100, 1900,
             QStringLiteral("gpt-4o"), 1200, 310, 0.0123);
    Span search = makeSpan(QStringLiteral("search"), QStringLiteral("root"), QStringLiteral("search_web"), SpanKind::Tool, 2000, 3500);
    search.toolName = QStringLiteral("search_web");
    l << search;
    l << makeSpan(QStringLiteral("retrieve"), QStringLiteral("root"), QStringLiteral("vector_search"), SpanKind::Retriever, 3600, 4400);
    Span embed = makeSpan(QStringLiteral("embed"), QStringLiteral("retrieve"), QStringLiteral("embed query"), SpanKind::Embedding, 3620, 3700);
    embed.requestModel = QStringLiteral("text-embedding-3-small");
    l << embed;
    l << makeSpan(QStringLiteral("summarize"), QStringLiteral("root"), QStringLiteral("summarize findings"), SpanKind::Chain, 4500, 9000);
    l << llm(QStringLiteral("chunk1"), QStringLiteral("summarize"), QStringLiteral("summarize chunk 1"), 4600, 6000,
             QStringLiteral("gpt-4o-mini"), 5400, 420, 0.0011, CostSource::Computed);
    l << llm(QStringLiteral("chunk2"), QStringLiteral("summarize"), QStringLiteral("summarize chunk 2"), 6100, 7900,
             QStringLiteral("gpt-4o-mini"), 6100, 515, 0.0013, CostSource::Computed);
    Span fetch = makeSpan(QStringLiteral("fetch"), QStringLiteral("summarize"), QStringLiteral("fetch_page"), SpanKind::Tool, 8000, 8900);
    fetch.status = StatusCode::Error;
    fetch.statusMessage = QStringLiteral("HTTP 503 from upstream");
    fetch.toolName = QStringLiteral("fetch_page");
    l << fetch;
    l << makeSpan(QStringLiteral("guard"), QStringLiteral("root"), QStringLiteral("output guardrail"), SpanKind::Guardrail, 9000, 9080);
    l << llm(QStringLiteral("answer"), QStringLiteral("root"), QStringLiteral("write answer"), 9100, 11800,
             QStringLiteral("gpt-4o"), 7300, 880, 0.0271);
    Span notify = makeSpan(QStringLiteral("notify"), QStringLiteral("root"), QStringLiteral("notify_user"), SpanKind::Tool, 11000, -1);
    notify.status = StatusCode::Unset;
    l << notify;
    l << makeSpan(QStringLiteral("late"), QStringLiteral("missing-parent"), QStringLiteral("late callback"), SpanKind::Span, 10000, 10500);
    return l;
}

inline std::shared_ptr<const Trace> fixtureTrace()
{
    return std::make_shared<const Trace>(fixtureSpans());
}

// A big agent-shaped trace: `n` spans, up to `maxDepth` levels, sequential steps with some parallel
// fan-out, ~1% errors. Deterministic for a seed.
inline std::shared_ptr<const Trace> bigTrace(int n, quint32 seed = 42, int maxDepth = 7)
{
    QRandomGenerator rng(seed);
    SpanList spans;
    spans.reserve(n);
    struct Node {
        int index;
        int depth;
        int budget;  // descendants still to create under it
    };
    const qint64 total = qint64(n) * 20 * kMs / 10;  // ~2 ms per span overall
    spans << makeSpan(QStringLiteral("s0"), {}, QStringLiteral("agent run"), SpanKind::Agent, 0, total / kMs);
    QList<Node> queue{{0, 0, n - 1}};
    const SpanKind kinds[] = {SpanKind::Llm, SpanKind::Llm, SpanKind::Tool, SpanKind::Tool, SpanKind::Chain,
                              SpanKind::Retriever, SpanKind::Embedding, SpanKind::Agent, SpanKind::Span};
    const char *names[] = {"call model", "chat completion", "search_web", "run_sql", "step", "retrieve docs",
                           "embed", "sub-agent", "http request"};
    for (qsizetype q = 0; q < queue.size(); ++q) {
        const Node node = queue[q];
        if (node.budget <= 0)
            continue;
        const int k = node.depth == 0 ? std::max(1, node.budget / 50)
                      : node.depth + 1 >= maxDepth ? node.budget
                                                   : std::min(node.budget, 2 + int(rng.bounded(6)));
        int rest = node.budget - k;
        const qint64 ps = spans[node.index].startNs;
        const qint64 pe = spans[node.index].endNs;
        const qint64 slot = (pe - ps) / k;
        for (int c = 0; c < k; ++c) {
            const int i = int(spans.size());
            const int which = int(rng.bounded(9));
            qint64 s = ps + slot * c + slot / 20;
            qint64 e = ps + slot * (c + 1) - slot / 20;
            if (rng.bounded(5) == 0)  // parallel with the previous sibling
                s = std::max(ps, s - slot / 2);
            Span sp;
            sp.traceId = QStringLiteral("big");
            sp.spanId = QLatin1Char('s') + QString::number(i);
            sp.parentSpanId = spans[node.index].spanId;
            sp.name = QString::fromLatin1(names[which]) + QLatin1Char(' ') + QString::number(i);
            sp.kind = kinds[which];
            sp.startNs = s;
            sp.endNs = std::max(e, s + 1);
            sp.status = rng.bounded(100) == 0 ? StatusCode::Error : StatusCode::Ok;
            if (sp.kind == SpanKind::Llm) {
                sp.requestModel = QStringLiteral("gpt-4o-mini");
                sp.tokens.input = 100 + rng.bounded(4000);
                sp.tokens.output = 10 + rng.bounded(800);
            }
            spans << sp;
            const int share = c == k - 1 ? rest : std::min(rest, int(rng.bounded(quint32(2 * rest / std::max(1, k - c) + 1))));
            rest -= share;
            queue.append({i, node.depth + 1, share});
        }
    }
    return std::make_shared<const Trace>(std::move(spans));
}

} // namespace traceviewfixture
