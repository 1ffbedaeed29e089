// Workspaces for the dashboard tests and screenshots: a small one whose every bar is computed by
// hand in tst_dashboard.cpp, and a larger deterministic one that looks like a few days of an agent
// in production (for the PNGs checked by eye).
#pragma once

#include "store/tracestore.h"
#include "store/workspacestats.h"

#include <random>

namespace spanscope::dashboardfixture {

constexpr qint64 S = 1'000'000'000LL;
constexpr qint64 Ms = 1'000'000LL;
constexpr qint64 Minute = WorkspaceStats::Minute;
constexpr qint64 H = WorkspaceStats::Hour;
constexpr qint64 D = WorkspaceStats::Day;
constexpr qint64 T0 = 20833 * D;   // a UTC midnight

inline Span span(const QString &trace, const QString &id, const QString &parent, const QString &name, SpanKind kind,
                 qint64 start, qint64 duration)
{
    Span s;
    s.traceId = trace;
    s.spanId = id;
    s.parentSpanId = parent;
    s.name = name;
    s.kind = kind;
    s.startNs = start;
    s.endNs = start + duration;
    s.status = StatusCode::Ok;
    s.serviceName = QStringLiteral("svc");
    return s;
}

inline Span llm(const QString &trace, const QString &id, const QString &parent, const QString &name, const QString &model,
                qint64 start, qint64 duration, qint64 in, qint64 out, double cost, CostSource source)
{
    Span s = span(trace, id, parent, name, SpanKind::Llm, start, duration);
    s.requestModel = model;
    s.responseModel = model;
    s.provider = QStringLiteral("openai");
    s.tokens.input = in;
    s.tokens.output = out;
    if (source != CostSource::None)
        s.cost = {cost, cost * 0.25, cost * 0.75, source};
    return s;
}

// Four traces in three hours (UTC); the comments give what the charts must show.
//   hour 0: a (00:10, alice, 4 s, a failing tool; gpt-4o $0.02 computed, 1000 in / 100 out)
//           b (00:20, bob, 2 s; gpt-4o-mini $0.001 computed, 500 in (100 cached) / 50 out)
//   hour 1: c (01:05, alice, 1 s; acme-x without a price, 300 in / 30 out)
//   hour 2: d (02:00 exactly, carol, 8 s; gpt-4o $0.04 reported, 2000 in / 200 out)
inline SpanList small()
{
    SpanList out;
    const qint64 a = T0 + 10 * Minute;
    Span ra = span("a", "a0", "", "agent", SpanKind::Agent, a, 4 * S);
    ra.userId = "alice";
    out << ra << llm("a", "a1", "a0", "chat gpt-4o", "gpt-4o", a + S, 2 * S, 1000, 100, 0.02, CostSource::Computed);
    Span tool = span("a", "a2", "a0", "search", SpanKind::Tool, a + 3 * S, S / 2);
    tool.status = StatusCode::Error;
    out << tool;

    const qint64 b = T0 + 20 * Minute;
    Span rb = span("b", "b0", "", "agent", SpanKind::Agent, b, 2 * S);
    rb.userId = "bob";
    Span b1 = llm("b", "b1", "b0", "chat mini", "gpt-4o-mini", b + S / 2, S, 500, 50, 0.001, CostSource::Computed);
    b1.tokens.cachedInput = 100;
    out << rb << b1;

    const qint64 c = T0 + H + 5 * Minute;
    Span rc = span("c", "c0", "", "agent", SpanKind::Agent, c, S);
    rc.userId = "alice";
    out << rc << llm("c", "c1", "c0", "chat acme", "acme-x", c + 100 * Ms, 500 * Ms, 300, 30, 0, CostSource::None);

    const qint64 d = T0 + 2 * H;
    Span rd = span("d", "d0", "", "agent", SpanKind::Agent, d, 8 * S);
    rd.userId = "carol";
    out << rd << llm("d", "d1", "d0", "chat gpt-4o", "gpt-4o", d + S, 6 * S, 2000, 200, 0.04, CostSource::Reported);
    return out;
}

// About `traces` agent runs over three days: four priced models and one without a price, a
// busier afternoon, a few failing tools, six users. Costs are computed from the given rates so the
// charts have realistic magnitudes; the same call always gives the same spans.
inline SpanList demo(int traces = 900, qint64 start = T0)
{
    struct Model {
        const char *name;
        double inPerM, outPerM;   // < 0: no price
        int weight;
    };
    static const Model models[] = {{"gpt-4o", 2.5, 10, 5},           {"gpt-4o-mini", 0.15, 0.6, 8},
                                   {"claude-3-5-sonnet", 3, 15, 3}, {"gemini-1.5-flash", 0.075, 0.3, 2},
                                   {"acme-llm-7b", -1, -1, 1}};
    static const char *tools[] = {"search_docs", "get_weather", "run_sql", "fetch_url"};
    static const char *users[] = {"alice@example.com", "bob@example.com", "carol@example.com",
                                  "dave@example.com",  "erin@example.com", "frank@example.com"};
    std::mt19937_64 rng(42);
    auto uniform = [&](double lo, double hi) { return lo + (hi - lo) * double(rng() % 1000000) / 1e6; };
    int weightSum = 0;
    for (const Model &m : models)
        weightSum += m.weight;
    SpanList out;
    const qint64 range = 3 * D;
    for (int i = 0; i < traces; ++i) {
        // More traffic in the afternoon (UTC): a sine over the day.
        qint64 t;
        do {
            t = qint64(uniform(0, double(range)));
        } while (uniform(0, 1) > 0.35 + 0.65 * std::pow(std::sin(M_PI * double(t % D) / double(D)), 2));
        t += start;
        const QString tid = QStringLiteral("%1").arg(quint64(i) * 2654435761ULL + 0x1000, 32, 16, QLatin1Char('0'));
        int pick = int(rng() % quint64(weightSum));
        const Model *m = models;
        while (pick >= m->weight) {
            pick -= m->weight;
            ++m;
        }
        const QString model = QString::fromLatin1(m->name);
        Span root = span(tid, tid.right(16), {}, QStringLiteral("invoke_agent support"), SpanKind::Agent, t, 0);
        root.userId = QString::fromLatin1(users[rng() % std::size(users)]);
        root.serviceName = i % 3 == 0 ? QStringLiteral("rag-api") : QStringLiteral("support-bot");
        out << root;
        const qsizetype rootIndex = out.size() - 1;
        qint64 cursor = t + 2 * Ms;
        const int turns = 1 + int(rng() % 4);
        bool failed = false;
        for (int turn = 0; turn < turns; ++turn) {
            const qint64 in = 300 + qint64(rng() % 3500) + turn * 800;
            const qint64 outTokens = 40 + qint64(rng() % 500);
            const qint64 dur = qint64(uniform(0.4, 2.5) * double(S) * (1 + double(outTokens) / 400));
            Span call = llm(tid, QStringLiteral("%1%2").arg(i, 12, 16, QLatin1Char('0')).arg(turn * 2, 4, 16, QLatin1Char('0')),
                            root.spanId, QStringLiteral("chat ") + model, model, cursor, dur, in, outTokens, 0, CostSource::None);
            call.serviceName = root.serviceName;
            if (turn > 0 && rng() % 2 == 0)
                call.tokens.cachedInput = in / 2;
            if (m->inPerM >= 0) {
                const double inUsd = double(in) * m->inPerM / 1e6, outUsd = double(outTokens) * m->outPerM / 1e6;
                call.cost = {inUsd + outUsd, inUsd, outUsd, CostSource::Computed};
            }
            out << call;
            cursor += dur + 5 * Ms;
            if (turn + 1 < turns) {
                Span tool = span(tid, QStringLiteral("%1%2").arg(i, 12, 16, QLatin1Char('0')).arg(turn * 2 + 1, 4, 16, QLatin1Char('0')),
                                 root.spanId, QStringLiteral("execute_tool ") + QString::fromLatin1(tools[rng() % std::size(tools)]),
                                 SpanKind::Tool, cursor, qint64(uniform(0.02, 1.2) * double(S)));
                tool.serviceName = root.serviceName;
                if (rng() % 25 == 0) {
                    tool.status = StatusCode::Error;
                    failed = true;
                }
                out << tool;
                cursor = tool.endNs + 3 * Ms;
            }
        }
        out[rootIndex].endNs = cursor + 10 * Ms;
        if (failed && rng() % 2 == 0)
            out[rootIndex].status = StatusCode::Error;
    }
    return out;
}

} // namespace spanscope::dashboardfixture
