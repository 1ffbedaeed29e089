#pragma once

// Spans for the inspector tests and snapshots.

#include "trace/span.h"

namespace fixtures {

using namespace spanscope;

constexpr qint64 kTraceStart = 1'700'000'000'000'000'000;

inline Span richLlmSpan()
{
    Span s;
    s.traceId = QStringLiteral("4bf92f3577b34da6a3ce929d0e0e4736");
    s.spanId = QStringLiteral("00f067aa0ba902b7");
    s.parentSpanId = QStringLiteral("a2fb4a1d1a96d312");
    s.name = QStringLiteral("ChatOpenAI");
    s.kind = SpanKind::Llm;
    s.serviceName = QStringLiteral("support-agent");
    s.scopeName = QStringLiteral("openinference.instrumentation.openai");
    s.scopeVersion = QStringLiteral("0.1.12");
    s.startNs = kTraceStart + 120'000'000;
    s.endNs = s.startNs + 1'843'000'000;
    s.status = StatusCode::Ok;
    s.operation = QStringLiteral("chat");
    s.requestModel = QStringLiteral("gpt-4o");
    s.responseModel = QStringLiteral("gpt-4o-2024-08-06");
    s.provider = QStringLiteral("openai");
    s.parameters = {{"temperature", 0.2}, {"max_tokens", 1024}, {"top_p", 1.0}, {"tool_choice", QStringLiteral("auto")}};
    s.tokens.input = 1234;
    s.tokens.output = 567;
    s.tokens.cachedInput = 1024;
    s.tokens.reasoning = 128;
    s.cost = {0.0087, 0.0031, 0.0056, CostSource::Computed};
    s.sessionId = QStringLiteral("sess-42");
    s.userId = QStringLiteral("user-7");
    s.tags = {QStringLiteral("production"), QStringLiteral("beta")};
    s.metadata = {{"deployment", QStringLiteral("eu-west-1")}};

    s.inputMessages = {
        {QStringLiteral("system"), QStringLiteral("You are a helpful support agent for Acme Corp.\nAnswer briefly and cite the knowledge base."), {}, {}, {}, {}},
        {QStringLiteral("user"), QStringLiteral("What's the weather in Paris, and should I bring an umbrella?"), {}, {}, {}, {}},
        {QStringLiteral("assistant"), QString(),
         {{QStringLiteral("call_9f2c"), QStringLiteral("get_weather"), QString::fromUtf8("{\"city\":\"Paris\",\"unit\":\"celsius\",\"days\":2}")}},
         {}, {}, QStringLiteral("tool_calls")},
        {QStringLiteral("tool"), QString::fromUtf8("{\"city\":\"Paris\",\"forecast\":[{\"day\":\"today\",\"temp\":17,\"rain\":0.8},{\"day\":\"tomorrow\",\"temp\":19,\"rain\":0.1}]}"),
         {}, QStringLiteral("call_9f2c"), QStringLiteral("get_weather"), {}},
    };
    s.outputMessages = {
        {QStringLiteral("assistant"),
         QStringLiteral("## Paris today\n\nIt is **17 °C** with an *80 %* chance of rain, so:\n\n"
                        "- bring an umbrella ☂\n- tomorrow looks drier (19 °C)\n\n"
                        "Use `get_weather` again for later days, or see [the forecast](https://example.com/paris).\n\n"
                        "```json\n{\"rain\": 0.8}\n```\n"),
         {}, {}, {}, QStringLiteral("stop")},
    };
    s.input = {QString::fromUtf8("{\"model\":\"gpt-4o\",\"temperature\":0.2,\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful support agent for Acme Corp.\"},{\"role\":\"user\",\"content\":\"What's the weather in Paris, and should I bring an umbrella?\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]}"),
               QStringLiteral("application/json")};
    s.output = {QString::fromUtf8("{\"id\":\"chatcmpl-9x\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\"## Paris today ...\"}}],\"usage\":{\"prompt_tokens\":1234,\"completion_tokens\":567,\"total_tokens\":1801}}"),
                QString()};

    s.attributes = {
        {"openinference.span.kind", QStringLiteral("LLM")},
        {"llm.model_name", QStringLiteral("gpt-4o-2024-08-06")},
        {"llm.provider", QStringLiteral("openai")},
        {"llm.invocation_parameters", QString::fromUtf8("{\"temperature\":0.2,\"max_tokens\":1024}")},
        {"llm.token_count.prompt", qint64(1234)},
        {"llm.token_count.completion", qint64(567)},
        {"llm.token_count.total", qint64(1801)},
        {"gen_ai.usage.input_tokens", qint64(1234)},
        {"gen_ai.usage.output_tokens", qint64(567)},
        {"gen_ai.request.temperature", 0.2},
        {"gen_ai.response.finish_reasons", QVariantList{QStringLiteral("stop")}},
        {"llm.input_messages.0.message.role", QStringLiteral("system")},
        {"llm.input_messages.0.message.content", QStringLiteral("You are a helpful support agent for Acme Corp.\nAnswer briefly and cite the knowledge base.")},
        {"llm.input_messages.1.message.role", QStringLiteral("user")},
        {"http.response.status_code", qint64(200)},
        {"stream", false},
        {"session.id", QStringLiteral("sess-42")},
    };
    s.resourceAttributes = {
        {"service.name", QStringLiteral("support-agent")},
        {"service.version", QStringLiteral("2.4.1")},
        {"telemetry.sdk.language", QStringLiteral("python")},
        {"telemetry.sdk.name", QStringLiteral("opentelemetry")},
        {"telemetry.sdk.version", QStringLiteral("1.27.0")},
    };
    s.scopeAttributes = {{"instrumentation.library", QStringLiteral("openinference")}};

    SpanEvent first;
    first.timeNs = s.startNs + 2'400'000;
    first.name = QStringLiteral("gen_ai.content.prompt");
    first.attributes = {{"gen_ai.prompt", QStringLiteral("What's the weather in Paris?")}, {"message.index", qint64(1)}};
    SpanEvent retry;
    retry.timeNs = s.startNs + 611'000'000;
    retry.name = QStringLiteral("exception");
    retry.attributes = {
        {"exception.type", QStringLiteral("openai.RateLimitError")},
        {"exception.message", QStringLiteral("Rate limit reached for gpt-4o (tokens per min). Retrying in 1.2 s.")},
        {"exception.stacktrace", QStringLiteral("Traceback (most recent call last):\n"
                                                "  File \"agent/llm.py\", line 88, in complete\n"
                                                "    response = client.chat.completions.create(**params)\n"
                                                "  File \"openai/_base_client.py\", line 1040, in request\n"
                                                "    raise self._make_status_error_from_response(err.response)\n"
                                                "openai.RateLimitError: Error code: 429")},
        {"exception.escaped", false},
    };
    SpanEvent firstToken;
    firstToken.timeNs = s.startNs + 1'102'000'000;
    firstToken.name = QStringLiteral("first_token");
    s.events = {first, retry, firstToken};

    SpanLink link;
    link.traceId = QStringLiteral("0af7651916cd43dd8448eb211c80319c");
    link.spanId = QStringLiteral("b7ad6b7169203331");
    link.attributes = {{"link.reason", QStringLiteral("retry of")}};
    s.links = {link};
    return s;
}

inline Span toolSpan()
{
    Span s;
    s.traceId = QStringLiteral("4bf92f3577b34da6a3ce929d0e0e4736");
    s.spanId = QStringLiteral("1111111111111111");
    s.name = QStringLiteral("get_weather");
    s.kind = SpanKind::Tool;
    s.toolName = QStringLiteral("get_weather");
    s.startNs = kTraceStart + 2'000'000'000;
    s.endNs = s.startNs + 245'000'000;
    s.status = StatusCode::Error;
    s.statusMessage = QStringLiteral("TimeoutError: weather service did not answer within 200 ms");
    s.input = {QString::fromUtf8("{\"city\":\"Paris\",\"unit\":\"celsius\"}"), QStringLiteral("application/json")};
    s.output = {QStringLiteral("upstream timeout"), QStringLiteral("text/plain")};
    s.attributes = {{"tool.name", QStringLiteral("get_weather")}, {"retry", qint64(2)}};
    return s;
}

inline Span retrieverSpan()
{
    Span s;
    s.spanId = QStringLiteral("2222222222222222");
    s.name = QStringLiteral("kb.search");
    s.kind = SpanKind::Retriever;
    s.startNs = kTraceStart + 50'000'000;
    s.endNs = s.startNs + 80'000'000;
    s.input = {QStringLiteral("umbrella policy paris office"), QString()};
    s.documents = {
        {QStringLiteral("kb-1042"), QStringLiteral("Employees at the Paris office can borrow umbrellas at reception."), 0.873, {{"source", QStringLiteral("handbook.md")}}},
        {QStringLiteral("kb-0007"), QStringLiteral("Weather-related travel is reimbursed when approved in advance."), 0.512, {}},
    };
    return s;
}

} // namespace fixtures
