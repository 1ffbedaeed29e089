// Throughput of the OTLP JSON importer on a generated LLM-shaped OTLP JSON lines file (~200 MB by
// default; pass a size in MB as the first argument, and a directory as the second to keep the file
// somewhere other than a temporary directory). Prints MB/s of importFile with a counting sink next to
// nlohmann's SAX parser with a counting handler on the same file, and the peak RSS. Not a test.

#include "formats/chunkreader.h"
#include "formats/importer.h"
#include "formats/jsoninputiterator.h"

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <google/protobuf/util/json_util.h>

#include <nlohmann/json.hpp>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <ctime>
#include <cstdio>
#include <fstream>
#include <functional>
#include <limits>
#include <string>
#include <vector>

using namespace spanscope;

namespace {

qint64 statusKb(const char *field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qsizetype(strlen(field))).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

class Generator
{
public:
    explicit Generator(quint32 seed) : m_random(seed) {}

    std::string hex(int bytes)
    {
        static const char digits[] = "0123456789abcdef";
        std::string s;
        for (int i = 0; i < bytes * 2; ++i)
            s += digits[m_random.bounded(16)];
        return s;
    }

    // Chat messages as a JSON string inside a JSON string: lots of escaped quotes, as in real traces.
    std::string messages(int approxBytes)
    {
        static const char *words[] = {"the", "model", "agent", "weather", "Paris", "tool", "result", "please", "summarise",
                                      "café", "données", "🤖", "answer", "because", "\\n", "context", "retrieval"};
        std::string s = "[{\\\"role\\\":\\\"system\\\",\\\"parts\\\":[{\\\"type\\\":\\\"text\\\",\\\"content\\\":\\\"You are helpful.\\\"}]}";
        while (int(s.size()) < approxBytes) {
            s += ",{\\\"role\\\":\\\"user\\\",\\\"parts\\\":[{\\\"type\\\":\\\"text\\\",\\\"content\\\":\\\"";
            for (int i = 0; i < 60; ++i) {
                s += words[m_random.bounded(int(std::size(words)))];
                s += ' ';
            }
            s += "\\\"}]}";
        }
        return s + "]";
    }

    static void attr(std::string &out, const char *key, const std::string &typedValue, bool &first)
    {
        if (!first)
            out += ',';
        first = false;
        out += "{\"key\":\"";
        out += key;
        out += "\",\"value\":{";
        out += typedValue;
        out += "}}";
    }
    static std::string str(const std::string &s) { return "\"stringValue\":\"" + s + "\""; }
    static std::string integer(qint64 v) { return "\"intValue\":\"" + std::to_string(v) + "\""; }

    // One resourceSpans document with an agent span, LLM calls and tool calls of one trace.
    std::string line()
    {
        const std::string trace = hex(16);
        const std::string root = hex(8);
        quint64 t = 1760000000000000000ull + m_random.bounded(1000000) * 1000000ull;
        std::string spans;
        const int calls = 3 + int(m_random.bounded(4));
        for (int i = 0; i <= calls; ++i) {
            const bool agent = i == 0;
            const bool tool = !agent && i % 2 == 0;
            const std::string id = agent ? root : hex(8);
            const quint64 start = t + quint64(i) * 1000000;
            const quint64 end = start + 500000 + m_random.bounded(900000);
            if (!spans.empty())
                spans += ',';
            spans += "{\"traceId\":\"" + trace + "\",\"spanId\":\"" + id + "\"";
            if (!agent)
                spans += ",\"parentSpanId\":\"" + root + "\"";
            spans += ",\"name\":\"";
            spans += agent ? "invoke_agent planner" : tool ? "execute_tool get_weather" : "chat gpt-4o-mini";
            spans += "\",\"kind\":" + std::string(tool || agent ? "1" : "3");
            spans += ",\"startTimeUnixNano\":\"" + std::to_string(start) + "\",\"endTimeUnixNano\":\"" + std::to_string(end) + "\"";
            spans += ",\"attributes\":[";
            bool first = true;
            if (agent) {
                attr(spans, "gen_ai.operation.name", str("invoke_agent"), first);
                attr(spans, "gen_ai.agent.name", str("planner"), first);
                attr(spans, "gen_ai.conversation.id", str(hex(8)), first);
            } else if (tool) {
                attr(spans, "gen_ai.operation.name", str("execute_tool"), first);
                attr(spans, "gen_ai.tool.name", str("get_weather"), first);
                attr(spans, "gen_ai.tool.call.id", str("call_" + hex(6)), first);
                attr(spans, "gen_ai.tool.call.arguments", str("{\\\"location\\\":\\\"Paris\\\",\\\"unit\\\":\\\"celsius\\\"}"), first);
                attr(spans, "gen_ai.tool.call.result", str(messages(600)), first);
            } else {
                attr(spans, "gen_ai.operation.name", str("chat"), first);
                attr(spans, "gen_ai.provider.name", str("openai"), first);
                attr(spans, "gen_ai.request.model", str("gpt-4o-mini"), first);
                attr(spans, "gen_ai.request.temperature", "\"doubleValue\":0.2", first);
                attr(spans, "gen_ai.request.max_tokens", integer(1024), first);
                attr(spans, "gen_ai.response.model", str("gpt-4o-mini-2024-07-18"), first);
                attr(spans, "gen_ai.response.id", str("chatcmpl-" + hex(12)), first);
                attr(spans, "gen_ai.response.finish_reasons", "\"arrayValue\":{\"values\":[{\"stringValue\":\"stop\"}]}", first);
                attr(spans, "gen_ai.usage.input_tokens", integer(m_random.bounded(5000)), first);
                attr(spans, "gen_ai.usage.output_tokens", integer(m_random.bounded(1000)), first);
                attr(spans, "gen_ai.input.messages", str(messages(2000 + int(m_random.bounded(4000)))), first);
                attr(spans, "gen_ai.output.messages", str(messages(300 + int(m_random.bounded(1500)))), first);
            }
            spans += "],\"events\":[";
            if (!agent && !tool)
                spans += "{\"timeUnixNano\":\"" + std::to_string(start + 1000) + "\",\"name\":\"gen_ai.first_token\",\"attributes\":[]}";
            spans += "],\"status\":{\"code\":";
            spans += m_random.bounded(20) == 0 ? "2,\"message\":\"upstream 503\"}" : "0}";
            spans += ",\"flags\":257}";
        }
        return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"demo-agent\"}},"
               "{\"key\":\"telemetry.sdk.language\",\"value\":{\"stringValue\":\"python\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":"
               "\"opentelemetry.instrumentation.openai\",\"version\":\"0.40.0\"},\"spans\":["
            + spans + "]}]}]}\n";
    }

private:
    QRandomGenerator m_random;
};

struct CountingHandler {
    qint64 values = 0;
    bool null() { ++values; return true; }
    bool boolean(bool) { ++values; return true; }
    bool number_integer(std::int64_t) { ++values; return true; }
    bool number_unsigned(std::uint64_t) { ++values; return true; }
    bool number_float(double, const std::string &) { ++values; return true; }
    bool string(std::string &) { ++values; return true; }
    bool binary(nlohmann::json::binary_t &) { return true; }
    bool start_object(std::size_t) { return true; }
    bool key(std::string &) { return true; }
    bool end_object() { return true; }
    bool start_array(std::size_t) { return true; }
    bool end_array() { return true; }
    bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &) { return false; }
};

// CPU time of this process: less disturbed than wall time by other work on a shared machine.
qint64 cpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

double mbPerSecond(qint64 bytes, qint64 ns)
{
    return (double(bytes) / 1e6) / (double(ns) / 1e9);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qint64 targetMb = argc > 1 ? QByteArray(argv[1]).toLongLong() : 200;
    QTemporaryDir tmp;
    const QString dir = argc > 2 ? QString::fromLocal8Bit(argv[2]) : tmp.path();
    const QString path = dir + QStringLiteral("/bench.jsonl");

    QElapsedTimer timer;
    timer.start();
    {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly)) {
            std::fprintf(stderr, "cannot write %s\n", qPrintable(path));
            return 1;
        }
        Generator gen(1);
        while (f.size() < targetMb * 1000 * 1000) {
            const std::string line = gen.line();
            f.write(line.data(), qint64(line.size()));
        }
    }
    const qint64 size = QFileInfo(path).size();
    std::printf("generated %s: %.1f MB in %.1f s (VmHWM %lld kB)\n", qPrintable(path), size / 1e6, timer.nsecsElapsed() / 1e9,
                statusKb("VmHWM:"));

    // The same spans as OTLP protobuf: one ExportTraceServiceRequest (serialized requests
    // concatenated are one request whose resource_spans are all of theirs).
    const QString protoPath = dir + QStringLiteral("/bench.binpb");
    {
        std::ifstream in(path.toStdString());
        QFile out(protoPath);
        if (!out.open(QIODevice::WriteOnly))
            return 1;
        std::string line;
        opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest request;
        while (std::getline(in, line)) {
            request.Clear();
            if (!google::protobuf::util::JsonStringToMessage(line, &request).ok())
                return 5;
            const std::string bytes = request.SerializeAsString();
            out.write(bytes.data(), qint64(bytes.size()));
        }
    }
    const qint64 protoSize = QFileInfo(protoPath).size();
    std::printf("converted to protobuf: %.1f MB\n", protoSize / 1e6);

    // Each variant runs `rounds` times interleaved with the others; the best run counts (the
    // machine is shared, so the slower runs measure the neighbours).
    struct Variant {
        const char *name;
        std::function<qint64()> run;  // returns a count, so nothing is optimised away
        qint64 bestWall = std::numeric_limits<qint64>::max();
        qint64 bestCpu = std::numeric_limits<qint64>::max();
        qint64 count = 0;
    };
    qint64 importHwm = 0;
    std::vector<Variant> variants;
    variants.push_back({"importFile -> Span (counting sink)", [&] {
        qint64 spans = 0;
        const ImportResult r = importFile(path, [&](SpanList &&batch) { spans += batch.size(); });
        if (r.stats.errors)
            std::printf("  import reported %d errors\n", r.stats.errors);
        importHwm = std::max(importHwm, statusKb("VmHWM:"));
        return spans;
    }});
    variants.push_back({"importFile otlp-proto -> Span (counting sink)", [&] {
        qint64 spans = 0;
        const ImportResult r = importFile(protoPath, [&](SpanList &&batch) { spans += batch.size(); });
        if (r.stats.errors || r.format != QLatin1String("otlp-proto"))
            std::printf("  protobuf import: %d errors, format %s\n", r.stats.errors, qPrintable(r.format));
        return spans;
    }});
    variants.push_back({"nlohmann SAX counting, std::getline lines", [&] {
        CountingHandler counter;
        std::ifstream in(path.toStdString());
        std::string line;
        while (std::getline(in, line))
            nlohmann::json::sax_parse(line, &counter);
        return counter.values;
    }});
    variants.push_back({"nlohmann SAX counting, std::ifstream adapter", [&] {
        CountingHandler counter;
        std::ifstream in(path.toStdString());
        // Not strict: each call reads one document and leaves the stream after it.
        while (nlohmann::json::sax_parse(in, &counter, nlohmann::json::input_format_t::json, false)) {
        }
        return counter.values;
    }});
    variants.push_back({"nlohmann SAX counting, ChunkReader + JsonInputIterator", [&] {
        CountingHandler counter;
        ChunkReader reader;
        reader.openFile(path);
        reader.setLineMode(true);
        while (!reader.atEnd()) {
            if (*reader.pos == '\n') {
                ++reader.pos;
                reader.updateStop();
                continue;
            }
            nlohmann::json::sax_parse(JsonInputIterator(&reader), JsonInputIterator(), &counter);
        }
        return counter.values;
    }});
    const int rounds = 3;
    for (int round = 0; round < rounds; ++round) {
        for (Variant &v : variants) {
            timer.restart();
            const qint64 cpu0 = cpuNs();
            v.count = v.run();
            v.bestCpu = std::min(v.bestCpu, cpuNs() - cpu0);
            v.bestWall = std::min(v.bestWall, timer.nsecsElapsed());
        }
    }
    std::printf("best of %d runs on %.1f MB:\n", rounds, size / 1e6);
    for (size_t i = 0; i < variants.size(); ++i) {
        const Variant &v = variants[i];
        const qint64 bytes = i == 1 ? protoSize : size;
        std::printf("  %-56s %7.1f MB/s wall %7.1f MB/s cpu", v.name, mbPerSecond(bytes, v.bestWall), mbPerSecond(bytes, v.bestCpu));
        if (i < 2)
            std::printf("  %8.0f spans/s cpu", double(v.count) / (double(v.bestCpu) / 1e9));
        std::printf("  (%lld)\n", v.count);
    }
    std::printf("  JSON importer / nlohmann SAX (getline), cpu time: %.2f\n", double(variants[2].bestCpu) / double(variants[0].bestCpu));
    std::printf("peak RSS during import (VmHWM) %lld kB\n", importHwm);
    return 0;
}
