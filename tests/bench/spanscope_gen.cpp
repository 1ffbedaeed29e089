// spanscope-gen: writes realistic, deterministic synthetic trace exports for benchmarks.
//
//   spanscope-gen --traces N --spans M [--payload BYTES] --format otlp-json|otlp-jsonl|otlp-proto
//                 [--seed S] -o FILE
//
// Each trace is agent-shaped: an agent root whose turns are LLM calls (chat messages in
// gen_ai.input/output.messages, tool calls, token usage) followed by tool executions (some with a
// nested HTTP span), retrievals and, now and then, a sub-agent that nests the same pattern deeper;
// about 2 % of tool calls fail with an exception event. `--payload` sets the approximate size of
// each LLM call's message text. The same seed always gives the same file.
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace {

namespace otlp = opentelemetry::proto;

struct Options {
    long long traces = 100;
    long long spans = 50;
    long long payload = 2000;
    std::string format = "otlp-jsonl";
    unsigned long long seed = 1;
    std::string out;
};

struct Attr {
    std::string key;
    enum { Str, Int, Dbl, StrArray } type = Str;
    std::string s;
    long long i = 0;
    double d = 0;
    std::vector<std::string> arr;
};

struct Event {
    unsigned long long timeNs;
    std::string name;
    std::vector<Attr> attrs;
};

struct GenSpan {
    std::string traceId, spanId, parentId, name;
    int kind = 1;
    unsigned long long start = 0, end = 0;
    int status = 0;
    std::string statusMessage;
    std::vector<Attr> attrs;
    std::vector<Event> events;
};

Attr str(std::string k, std::string v) { Attr a; a.key = std::move(k); a.s = std::move(v); return a; }
Attr num(std::string k, long long v) { Attr a; a.key = std::move(k); a.type = Attr::Int; a.i = v; return a; }
Attr dbl(std::string k, double v) { Attr a; a.key = std::move(k); a.type = Attr::Dbl; a.d = v; return a; }
Attr arr(std::string k, std::vector<std::string> v) { Attr a; a.key = std::move(k); a.type = Attr::StrArray; a.arr = std::move(v); return a; }

const char *kWords[] = {"agent", "latency", "quarterly", "report", "customer", "refund", "policy", "region", "invoice",
                        "summary", "pipeline", "retrieval", "vector", "embedding", "tool", "answer", "context",
                        "window", "token", "budget", "error", "retry", "cache", "prompt", "schema", "table", "query",
                        "result", "weather", "Paris", "détail", "naïve", "データ", "検索"};
const char *kModels[][2] = {{"openai", "gpt-4o-mini"}, {"openai", "gpt-4o"}, {"anthropic", "claude-3-5-sonnet-20241022"},
                            {"openai", "gpt-4.1-mini"}, {"acme", "acme-llm-7b"}};
const char *kTools[] = {"search_docs", "get_weather", "run_sql", "fetch_url", "calculator", "send_email"};

class Generator
{
public:
    explicit Generator(const Options &o) : m_opt(o), m_rng(o.seed), m_limit(o.spans) {}

    std::vector<GenSpan> trace(long long index)
    {
        std::vector<GenSpan> spans;
        spans.reserve(size_t(m_opt.spans));
        const std::string tid = hex(16);
        unsigned long long t = 1795000000000000000ULL + (unsigned long long)index * 37'000'000'000ULL + m_rng() % 1'000'000'000ULL;
        m_model = kModels[m_rng() % 5];
        m_session = "sess-" + std::to_string(index / 4);
        GenSpan root = make(tid, "", "invoke_agent planner", 1, t);
        root.attrs = {str("gen_ai.operation.name", "invoke_agent"), str("gen_ai.agent.name", "planner"),
                      str("gen_ai.conversation.id", m_session), str("user.id", "user-" + std::to_string(index % 97))};
        spans.push_back(root);
        unsigned long long cursor = t + 1'000'000;
        agentBody(spans, tid, spans[0].spanId, cursor, 0);
        spans[0].end = cursor + 500'000;
        return spans;
    }

private:
    std::string hex(int bytes)
    {
        static const char *digits = "0123456789abcdef";
        std::string s(size_t(bytes) * 2, '0');
        for (auto &c : s)
            c = digits[m_rng() & 15];
        return s;
    }

    std::string text(long long approxBytes)
    {
        std::string s;
        s.reserve(size_t(approxBytes) + 16);
        while ((long long)s.size() < approxBytes) {
            s += kWords[m_rng() % (sizeof(kWords) / sizeof(*kWords))];
            s += (m_rng() % 12 == 0) ? ".\n" : " ";
        }
        return s;
    }

    GenSpan make(const std::string &tid, const std::string &parent, std::string name, int kind, unsigned long long start)
    {
        GenSpan s;
        s.traceId = tid;
        s.spanId = hex(8);
        s.parentId = parent;
        s.name = std::move(name);
        s.kind = kind;
        s.start = start;
        return s;
    }

    bool full(const std::vector<GenSpan> &spans) const { return (long long)spans.size() >= m_limit; }

    static std::string jsonEscape(const std::string &in)
    {
        std::string out;
        out.reserve(in.size() + 8);
        for (char c : in) {
            switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            default: out += c;
            }
        }
        return out;
    }

    // Turns of LLM call -> tool call (-> nested span) until the trace has its span budget.
    void agentBody(std::vector<GenSpan> &spans, const std::string &tid, const std::string &parent, unsigned long long &cursor, int depth)
    {
        int turn = 0;
        while (!full(spans)) {
            // Sub-agents make some traces deep; a few wide turns make others wide.
            if (depth < 6 && turn > 0 && m_rng() % 9 == 0 && (long long)spans.size() + 3 < m_limit) {
                GenSpan sub = make(tid, parent, "invoke_agent researcher", 1, cursor);
                sub.attrs = {str("gen_ai.operation.name", "invoke_agent"), str("gen_ai.agent.name", "researcher")};
                spans.push_back(sub);
                const size_t at = spans.size() - 1;
                const std::string subId = sub.spanId;
                cursor += 200'000;
                // The sub-agent gets a small span budget of its own, then the outer turns resume.
                const long long saved = m_limit;
                m_limit = std::min<long long>(saved, (long long)spans.size() + 4 + (long long)(m_rng() % 12));
                agentBody(spans, tid, subId, cursor, depth + 1);
                m_limit = saved;
                spans[at].end = cursor + 100'000;
                cursor += 300'000;
                ++turn;
                continue;
            }
            llmCall(spans, tid, parent, cursor, turn);
            if (full(spans))
                break;
            if (m_rng() % 5 == 0)
                retrieval(spans, tid, parent, cursor);
            else
                toolCall(spans, tid, parent, cursor);
            ++turn;
        }
    }

    void llmCall(std::vector<GenSpan> &spans, const std::string &tid, const std::string &parent, unsigned long long &cursor, int turn)
    {
        GenSpan s = make(tid, parent, std::string("chat ") + m_model[1], 3, cursor);
        const long long in = 200 + (long long)(m_rng() % 4000), out = 20 + (long long)(m_rng() % 600);
        const std::string user = jsonEscape(text(m_opt.payload / 2));
        const std::string answer = jsonEscape(text(m_opt.payload / 2));
        const std::string tool = kTools[m_rng() % 6];
        const std::string callId = "call_" + hex(6);
        std::string inputMessages = R"([{"role":"system","parts":[{"type":"text","content":"You are a careful assistant. Use tools."}]},{"role":"user","parts":[{"type":"text","content":")"
            + user + R"("}]}])";
        std::string outputMessages = turn % 2 == 0
            ? R"([{"role":"assistant","parts":[{"type":"tool_call","id":")" + callId + R"(","name":")" + tool
                + R"(","arguments":{"query":"lookup )" + std::to_string(turn) + R"("}}],"finish_reason":"tool_calls"}])"
            : R"([{"role":"assistant","parts":[{"type":"text","content":")" + answer + R"("}],"finish_reason":"stop"}])";
        s.attrs = {str("gen_ai.operation.name", "chat"),
                   str("gen_ai.provider.name", m_model[0]),
                   str("gen_ai.request.model", m_model[1]),
                   str("gen_ai.response.model", m_model[1]),
                   dbl("gen_ai.request.temperature", 0.2),
                   num("gen_ai.request.max_tokens", 1024),
                   num("gen_ai.usage.input_tokens", in),
                   num("gen_ai.usage.output_tokens", out),
                   str("gen_ai.conversation.id", m_session),
                   arr("gen_ai.response.finish_reasons", {turn % 2 == 0 ? "tool_calls" : "stop"}),
                   str("gen_ai.input.messages", inputMessages),
                   str("gen_ai.output.messages", outputMessages)};
        const unsigned long long dur = 150'000'000ULL + m_rng() % 2'500'000'000ULL;
        s.end = cursor + dur;
        cursor = s.end + m_rng() % 5'000'000ULL;
        spans.push_back(std::move(s));
    }

    void toolCall(std::vector<GenSpan> &spans, const std::string &tid, const std::string &parent, unsigned long long &cursor)
    {
        const std::string tool = kTools[m_rng() % 6];
        GenSpan s = make(tid, parent, "execute_tool " + tool, 1, cursor);
        s.attrs = {str("gen_ai.operation.name", "execute_tool"), str("gen_ai.tool.name", tool),
                   str("gen_ai.tool.call.arguments", R"({"query":"lookup"})")};
        const unsigned long long dur = 5'000'000ULL + m_rng() % 900'000'000ULL;
        s.end = cursor + dur;
        const bool fails = m_rng() % 50 == 0;
        if (fails) {
            s.status = 2;
            s.statusMessage = tool + " timed out";
            s.events.push_back({s.end, "exception",
                                {str("exception.type", "TimeoutError"), str("exception.message", tool + " timed out"),
                                 str("exception.stacktrace", "Traceback (most recent call last):\n  File \"tools.py\", line 88, in run\nTimeoutError")}});
        } else {
            s.status = 1;
            s.attrs.push_back(str("gen_ai.tool.call.result", R"({"ok":true,"rows":)" + std::to_string(m_rng() % 50) + "}"));
        }
        const std::string id = s.spanId;
        const unsigned long long start = cursor;
        spans.push_back(std::move(s));
        if (!full(spans) && m_rng() % 2 == 0) {
            GenSpan http = make(tid, id, "HTTP POST", 3, start + 1'000'000);
            http.attrs = {str("http.request.method", "POST"), str("server.address", "tools.internal"),
                          num("http.response.status_code", fails ? 504 : 200)};
            http.end = start + dur - 1'000'000;
            http.status = fails ? 2 : 0;
            spans.push_back(std::move(http));
        }
        cursor = start + dur + m_rng() % 3'000'000ULL;
    }

    void retrieval(std::vector<GenSpan> &spans, const std::string &tid, const std::string &parent, unsigned long long &cursor)
    {
        GenSpan s = make(tid, parent, "retrieve documents", 1, cursor);
        s.attrs = {str("gen_ai.operation.name", "retrieval"), str("gen_ai.data_source.id", "kb-main"),
                   str("gen_ai.request.model", "text-embedding-3-small")};
        s.end = cursor + 20'000'000ULL + m_rng() % 200'000'000ULL;
        cursor = s.end + 1'000'000;
        spans.push_back(std::move(s));
    }

    const Options &m_opt;
    std::mt19937_64 m_rng;
    long long m_limit;
    const char *const *m_model = kModels[0];
    std::string m_session;
};

// ---- OTLP/JSON writing (by hand: fast, and exactly the OTLP/JSON shape) ---------------------

void jsonString(std::string &out, const std::string &s)
{
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += char(c);
            }
        }
    }
    out += '"';
}

void jsonAttrs(std::string &out, const std::vector<Attr> &attrs)
{
    out += '[';
    for (size_t i = 0; i < attrs.size(); ++i) {
        const Attr &a = attrs[i];
        if (i)
            out += ',';
        out += "{\"key\":";
        jsonString(out, a.key);
        out += ",\"value\":{";
        switch (a.type) {
        case Attr::Str: out += "\"stringValue\":"; jsonString(out, a.s); break;
        case Attr::Int: out += "\"intValue\":\"" + std::to_string(a.i) + "\""; break;
        case Attr::Dbl: {
            char buf[32];
            auto r = std::to_chars(buf, buf + sizeof buf, a.d);
            out += "\"doubleValue\":";
            out.append(buf, r.ptr);
            break;
        }
        case Attr::StrArray:
            out += "\"arrayValue\":{\"values\":[";
            for (size_t k = 0; k < a.arr.size(); ++k) {
                if (k)
                    out += ',';
                out += "{\"stringValue\":";
                jsonString(out, a.arr[k]);
                out += '}';
            }
            out += "]}";
            break;
        }
        out += "}}";
    }
    out += ']';
}

void jsonResourceSpans(std::string &out, const std::vector<GenSpan> &spans)
{
    out += R"({"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"bench-agent"}},)"
           R"({"key":"telemetry.sdk.language","value":{"stringValue":"python"}}]},"scopeSpans":[{"scope":{"name":"spanscope-gen","version":"1"},"spans":[)";
    for (size_t i = 0; i < spans.size(); ++i) {
        const GenSpan &s = spans[i];
        if (i)
            out += ',';
        out += "{\"traceId\":\"" + s.traceId + "\",\"spanId\":\"" + s.spanId + "\"";
        if (!s.parentId.empty())
            out += ",\"parentSpanId\":\"" + s.parentId + "\"";
        out += ",\"name\":";
        jsonString(out, s.name);
        out += ",\"kind\":" + std::to_string(s.kind) + ",\"startTimeUnixNano\":\"" + std::to_string(s.start)
            + "\",\"endTimeUnixNano\":\"" + std::to_string(s.end) + "\",\"attributes\":";
        jsonAttrs(out, s.attrs);
        if (!s.events.empty()) {
            out += ",\"events\":[";
            for (size_t e = 0; e < s.events.size(); ++e) {
                if (e)
                    out += ',';
                out += "{\"timeUnixNano\":\"" + std::to_string(s.events[e].timeNs) + "\",\"name\":";
                jsonString(out, s.events[e].name);
                out += ",\"attributes\":";
                jsonAttrs(out, s.events[e].attrs);
                out += '}';
            }
            out += ']';
        }
        out += ",\"status\":{\"code\":" + std::to_string(s.status);
        if (!s.statusMessage.empty()) {
            out += ",\"message\":";
            jsonString(out, s.statusMessage);
        }
        out += "}}";
    }
    out += "]}]}";
}

// ---- OTLP protobuf ---------------------------------------------------------------------------

std::string unhex(const std::string &h)
{
    std::string out(h.size() / 2, '\0');
    for (size_t i = 0; i < out.size(); ++i)
        out[i] = char(std::stoi(h.substr(i * 2, 2), nullptr, 16));
    return out;
}

void protoAttrs(google::protobuf::RepeatedPtrField<otlp::common::v1::KeyValue> *dst, const std::vector<Attr> &attrs)
{
    for (const Attr &a : attrs) {
        auto *kv = dst->Add();
        kv->set_key(a.key);
        auto *v = kv->mutable_value();
        switch (a.type) {
        case Attr::Str: v->set_string_value(a.s); break;
        case Attr::Int: v->set_int_value(a.i); break;
        case Attr::Dbl: v->set_double_value(a.d); break;
        case Attr::StrArray:
            for (const auto &s : a.arr)
                v->mutable_array_value()->add_values()->set_string_value(s);
            break;
        }
    }
}

void protoRequest(otlp::collector::trace::v1::ExportTraceServiceRequest &req, const std::vector<GenSpan> &spans)
{
    auto *rs = req.add_resource_spans();
    protoAttrs(rs->mutable_resource()->mutable_attributes(), {str("service.name", "bench-agent"), str("telemetry.sdk.language", "python")});
    auto *ss = rs->add_scope_spans();
    ss->mutable_scope()->set_name("spanscope-gen");
    ss->mutable_scope()->set_version("1");
    for (const GenSpan &g : spans) {
        auto *s = ss->add_spans();
        s->set_trace_id(unhex(g.traceId));
        s->set_span_id(unhex(g.spanId));
        if (!g.parentId.empty())
            s->set_parent_span_id(unhex(g.parentId));
        s->set_name(g.name);
        s->set_kind(otlp::trace::v1::Span_SpanKind(g.kind));
        s->set_start_time_unix_nano(g.start);
        s->set_end_time_unix_nano(g.end);
        protoAttrs(s->mutable_attributes(), g.attrs);
        for (const Event &e : g.events) {
            auto *pe = s->add_events();
            pe->set_time_unix_nano(e.timeNs);
            pe->set_name(e.name);
            protoAttrs(pe->mutable_attributes(), e.attrs);
        }
        s->mutable_status()->set_code(otlp::trace::v1::Status_StatusCode(g.status));
        if (!g.statusMessage.empty())
            s->mutable_status()->set_message(g.statusMessage);
    }
}

int usage(const char *why)
{
    std::cerr << "spanscope-gen: " << why << "\n"
              << "usage: spanscope-gen --traces N --spans M [--payload BYTES] --format otlp-json|otlp-jsonl|otlp-proto [--seed S] -o FILE\n";
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> const char * { return i + 1 < argc ? argv[++i] : nullptr; };
        const char *v = nullptr;
        if (a == "--traces" && (v = next()))
            o.traces = std::atoll(v);
        else if (a == "--spans" && (v = next()))
            o.spans = std::atoll(v);
        else if (a == "--payload" && (v = next()))
            o.payload = std::atoll(v);
        else if (a == "--format" && (v = next()))
            o.format = v;
        else if (a == "--seed" && (v = next()))
            o.seed = std::strtoull(v, nullptr, 10);
        else if ((a == "-o" || a == "--output") && (v = next()))
            o.out = v;
        else
            return usage(("unknown or incomplete option " + a).c_str());
    }
    if (o.out.empty() || o.traces <= 0 || o.spans <= 0)
        return usage("need --traces, --spans and -o");
    if (o.format != "otlp-json" && o.format != "otlp-jsonl" && o.format != "otlp-proto")
        return usage("unknown --format");

    std::ofstream file(o.out, std::ios::binary | std::ios::trunc);
    if (!file)
        return usage(("cannot write " + o.out).c_str());
    Generator gen(o);
    std::string buf;
    long long spanTotal = 0;
    if (o.format == "otlp-json")
        file << "{\"resourceSpans\":[";
    std::optional<google::protobuf::io::OstreamOutputStream> zout;
    if (o.format == "otlp-proto")
        zout.emplace(&file);
    for (long long t = 0; t < o.traces; ++t) {
        const std::vector<GenSpan> spans = gen.trace(t);
        spanTotal += (long long)spans.size();
        if (o.format == "otlp-proto") {
            otlp::collector::trace::v1::ExportTraceServiceRequest req;
            protoRequest(req, spans);
            google::protobuf::io::CodedOutputStream coded(&*zout);
            coded.WriteVarint64(req.ByteSizeLong());
            req.SerializeToCodedStream(&coded);
            continue;
        }
        buf.clear();
        if (o.format == "otlp-json") {
            if (t)
                buf += ',';
            jsonResourceSpans(buf, spans);
        } else {
            buf += "{\"resourceSpans\":[";
            jsonResourceSpans(buf, spans);
            buf += "]}\n";
        }
        file.write(buf.data(), std::streamsize(buf.size()));
    }
    if (o.format == "otlp-json")
        file << "]}\n";
    zout.reset();
    file.flush();
    std::cerr << "spanscope-gen: wrote " << o.traces << " traces, " << spanTotal << " spans to " << o.out << "\n";
    return file ? 0 : 1;
}
