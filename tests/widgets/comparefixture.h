#pragma once

// Two runs of one research agent for the compare view's test, built in code. B changed the
// planner's prompt and temperature, its first search failed and was retried, fetch_page is gone,
// the answer moved to gpt-4o-mini, and an output guardrail was added.

#include "trace/trace.h"

#include <memory>

namespace comparefixture {

using namespace spanscope;

constexpr qint64 kMs = 1'000'000;
constexpr qint64 kT0 = 1'700'000'000'000'000'000;

inline Span makeSpan(const QString &trace, const QString &id, const QString &parent, const QString &name, SpanKind kind,
                     qint64 startMs, qint64 endMs)
{
    Span s;
    s.traceId = trace;
    s.spanId = id;
    s.parentSpanId = parent;
    s.name = name;
    s.kind = kind;
    s.serviceName = QStringLiteral("research-bot");
    s.startNs = kT0 + startMs * kMs;
    s.endNs = kT0 + endMs * kMs;
    s.status = StatusCode::Ok;
    if (kind == SpanKind::Tool)
        s.toolName = name;
    return s;
}

inline Span llm(const QString &trace, const QString &id, const QString &name, qint64 s, qint64 e, const QString &model,
                qint64 in, qint64 out, double cost)
{
    Span sp = makeSpan(trace, id, QStringLiteral("root"), name, SpanKind::Llm, s, e);
    sp.requestModel = sp.responseModel = model;
    sp.provider = QStringLiteral("openai");
    sp.tokens.input = in;
    sp.tokens.output = out;
    sp.tokens.total = in + out;
    sp.cost.totalUsd = cost;
    sp.cost.source = CostSource::Computed;
    sp.attributes = {Attribute{QStringLiteral("gen_ai.request.model"), model},
                     Attribute{QStringLiteral("gen_ai.response.id"), QString(QStringLiteral("resp-") + trace.left(4) + id)}};
    return sp;
}

inline std::shared_ptr<const Trace> run(bool b)
{
    const QString t = b ? QStringLiteral("b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7") : QStringLiteral("a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6");
    SpanList l;
    Span root = makeSpan(t, QStringLiteral("root"), {}, QStringLiteral("research-agent"), SpanKind::Agent, 0, b ? 9500 : 8000);
    root.input.value = QStringLiteral("Which quiet hotel in Paris has the best reviews?");
    root.output.value = b ? QStringLiteral("Hôtel Lumière and Le Marais Inn are the quietest, both rated 4.6.")
                          : QStringLiteral("Hôtel Lumière is the quietest, rated 4.6.");
    l << root;

    const QString prompt = b ? QStringLiteral("Summarize the latest reviews of quiet hotels in Paris and pick the two best ones.")
                             : QStringLiteral("Summarize recent reviews of quiet hotels in Paris and pick the best one.");
    Span plan = llm(t, QStringLiteral("plan"), QStringLiteral("plan"), 100, 1500, QStringLiteral("gpt-4o"), 1200, 310, 0.0062);
    plan.inputMessages = {Message{QStringLiteral("system"), QStringLiteral("You are a careful research assistant. Cite sources."), {}, {}, {}, {}},
                          Message{QStringLiteral("user"), prompt, {}, {}, {}, {}}};
    plan.outputMessages = {Message{QStringLiteral("assistant"), QStringLiteral("I will search the web first."),
                                   {ToolCall{b ? QStringLiteral("call_B1") : QStringLiteral("call_A1"), QStringLiteral("search_web"),
                                             QStringLiteral("{\"query\": \"quiet hotels Paris reviews\"}")}},
                                   {}, {}, QStringLiteral("tool_calls")}};
    plan.input.value = prompt;
    plan.parameters = {{QStringLiteral("temperature"), b ? 0.7 : 0.2}, {QStringLiteral("max_tokens"), 1024}};
    l << plan;

    Span search = makeSpan(t, QStringLiteral("search"), QStringLiteral("root"), QStringLiteral("search_web"), SpanKind::Tool, 1600, 3000);
    search.input.value = QStringLiteral("{\"query\": \"quiet hotels Paris reviews\"}");
    search.output.value = QStringLiteral("{\"results\": 12, \"top\": \"Hôtel Lumière\"}");
    if (b) {
        search.status = StatusCode::Error;
        search.statusMessage = QStringLiteral("HTTP 503 from upstream");
        search.output.value.clear();
    }
    l << search;
    if (b) {
        Span retry = makeSpan(t, QStringLiteral("retry"), QStringLiteral("root"), QStringLiteral("search_web"), SpanKind::Tool, 3050, 4400);
        retry.input.value = search.input.value;
        retry.output.value = QStringLiteral("{\"results\": 12, \"top\": \"Hôtel Lumière\"}");
        l << retry;
    }
    const qint64 shift = b ? 1400 : 0;
    l << makeSpan(t, QStringLiteral("retrieve"), QStringLiteral("root"), QStringLiteral("vector_search"), SpanKind::Retriever, 3100 + shift, 3600 + shift);
    Span embed = makeSpan(t, QStringLiteral("embed"), QStringLiteral("retrieve"), QStringLiteral("embed query"), SpanKind::Embedding, 3110 + shift, 3200 + shift);
    embed.requestModel = QStringLiteral("text-embedding-3-small");
    l << embed;
    if (!b)
        l << makeSpan(t, QStringLiteral("fetch"), QStringLiteral("root"), QStringLiteral("fetch_page"), SpanKind::Tool, 3700, 4200);
    Span answer = b ? llm(t, QStringLiteral("answer"), QStringLiteral("write answer"), 5100, 9300, QStringLiteral("gpt-4o-mini"), 7900, 950, 0.00176)
                    : llm(t, QStringLiteral("answer"), QStringLiteral("write answer"), 4300, 7800, QStringLiteral("gpt-4o"), 7300, 880, 0.0271);
    answer.outputMessages = {Message{QStringLiteral("assistant"), root.output.value, {}, {}, {}, QStringLiteral("stop")}};
    l << answer;
    if (b)
        l << makeSpan(t, QStringLiteral("guard"), QStringLiteral("root"), QStringLiteral("output guardrail"), SpanKind::Guardrail, 9320, 9480);
    return std::make_shared<const Trace>(l);
}

} // namespace comparefixture
