#include "pricing/pricetable.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

using namespace spanscope;

namespace {

QDateTime utc(const char *iso)
{
    QDateTime t = QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate);
    t.setTimeSpec(Qt::UTC);
    return t;
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(content);
    return path;
}

Span llmSpan(const QString &model, const QString &provider, qint64 input, qint64 output)
{
    Span s;
    s.kind = SpanKind::Llm;
    s.requestModel = model;
    s.provider = provider;
    s.tokens.input = input;
    s.tokens.output = output;
    return s;
}

} // namespace

class TestPriceTable : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // First use parses the embedded file; the brief for this table is "well under 100 ms".
        QElapsedTimer t;
        t.start();
        const auto table = PriceTable::builtin();
        const qint64 ms = t.elapsed();
        qDebug("PriceTable::builtin() first call (parse of the embedded genai-prices file): %lld ms", ms);
        QVERIFY(table);
        QVERIFY2(ms < 1000, "parsing the built-in table takes far too long");
    }

    void builtinResourceIsEmbedded()
    {
        // Reachable from a static library linked into an executable, without Q_INIT_RESOURCE.
        QVERIFY(QFile::exists(":/pricing/genai-prices-0.1.8.json"));
        QVERIFY(QFile::exists(":/pricing/LICENSE-genai-prices"));
        const auto table = PriceTable::builtin();
        QCOMPARE(table->modelCount(), 1694);   // python3: sum(len(p["models"]) for p in providers)
        QCOMPARE(table->source(), "npm @pydantic/genai-prices 0.1.8 (MIT), bundled price data, USD per million tokens");
        QCOMPARE(table->allPrices().size(), table->modelCount());
        QCOMPARE(PriceTable::builtin().get(), table.get());  // parsed once, shared
    }

    void repeatedParseTime()
    {
        QFile f(":/pricing/genai-prices-0.1.8.json");
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QElapsedTimer t;
        t.start();
        const int runs = 5;
        for (int i = 0; i < runs; ++i) {
            QString error;
            QVERIFY2(PriceTable::fromJson(bytes, &error), qPrintable(error));
        }
        qDebug("genai-prices 0.1.8 (%lld bytes): %.1f ms per parse", qint64(bytes.size()), t.elapsed() / double(runs));
    }

    void find_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QDateTime>("when");
        QTest::addColumn<QString>("providerId");
        QTest::addColumn<QString>("modelId");
        QTest::addColumn<double>("input");
        QTest::addColumn<double>("output");
        QTest::addColumn<double>("cacheRead");
        QTest::addColumn<double>("cacheWrite");

        const QDateTime none;
        // Prices read by hand from resources/pricing/genai-prices-0.1.8.json.
        QTest::addRow("exact name") << "gpt-4o" << "" << none << "openai" << "gpt-4o" << 2.5 << 10.0 << 1.25 << -1.0;
        QTest::addRow("case-insensitive") << "GPT-4o-Mini" << "" << none << "openai" << "gpt-4o-mini" << 0.15 << 0.6 << 0.075 << -1.0;
        QTest::addRow("provider prefix") << "openai/gpt-4o" << "" << none << "openai" << "gpt-4o" << 2.5 << 10.0 << 1.25 << -1.0;
        QTest::addRow("models/ prefix") << "models/gemini-1.5-pro" << "" << none << "google" << "gemini-1.5-pro" << 1.25 << 5.0 << -1.0 << -1.0;
        QTest::addRow("provider:model") << "openai:gpt-4o-mini" << "" << none << "openai" << "gpt-4o-mini" << 0.15 << 0.6 << 0.075 << -1.0;
        QTest::addRow("dated, in the rules") << "gpt-4o-2024-08-06" << "openai" << none << "openai" << "gpt-4o" << 2.5 << 10.0 << 1.25 << -1.0;
        QTest::addRow("dated, retried without date") << "gpt-4o-mini-2099-01-01" << "" << none << "openai" << "gpt-4o-mini" << 0.15 << 0.6 << 0.075 << -1.0;
        QTest::addRow("compact date retried") << "gpt-4-turbo-20990101" << "" << none << "openai" << "gpt-4-turbo" << 10.0 << 30.0 << -1.0 << -1.0;
        QTest::addRow("vertex @date") << "claude-3-5-sonnet@20240620" << "" << none << "anthropic" << "claude-3-5-sonnet" << 3.0 << 15.0 << 0.3 << 3.75;
        QTest::addRow("starts_with rule") << "claude-3-5-haiku-20241022" << "anthropic" << none << "anthropic" << "claude-3-5-haiku-latest" << 0.8 << 4.0 << 0.08 << 1.0;
        QTest::addRow("regex rule") << "claude-opus-5-20260101" << "" << none << "anthropic" << "claude-opus-5" << 5.0 << 25.0 << 0.5 << 6.25;
        QTest::addRow("regex-only rule") << "composer-2.5[fast=true]" << "cursor" << none << "cursor" << "composer-2.5-fast" << 3.0 << 15.0 << 0.5 << -1.0;
        QTest::addRow("no hint: model maker first") << "claude-3-5-sonnet-20240620" << "" << none << "anthropic" << "claude-3-5-sonnet" << 3.0 << 15.0 << 0.3 << 3.75;
        QTest::addRow("hint aws.bedrock") << "claude-3-5-sonnet-20240620" << "aws.bedrock" << none << "aws" << "regional.anthropic.claude-3-5-sonnet-20240620-v1:0" << 3.0 << 15.0 << 0.3 << 3.75;
        QTest::addRow("hint gcp.vertex_ai") << "claude-3-5-sonnet-20240620" << "gcp.vertex_ai" << none << "google" << "claude-3-5-sonnet" << 3.0 << 15.0 << 0.3 << 3.75;
        QTest::addRow("hint azure.openai") << "o3" << "azure.openai" << utc("2025-01-01T00:00:00") << "azure" << "o3-2025-04-16" << 2.0 << 8.0 << 0.5 << -1.0;
        QTest::addRow("no hint: openai o3") << "o3" << "" << utc("2025-01-01T00:00:00") << "openai" << "o3" << 10.0 << 40.0 << 0.5 << -1.0;
        QTest::addRow("hint not offering the model") << "gpt-4o" << "azure.openai" << none << "openai" << "gpt-4o" << 2.5 << 10.0 << 1.25 << -1.0;
        QTest::addRow("hint matched by provider_match") << "claude-3-5-sonnet-20240620" << "amazon-bedrock-runtime" << none << "aws" << "regional.anthropic.claude-3-5-sonnet-20240620-v1:0" << 3.0 << 15.0 << 0.3 << 3.75;
        QTest::addRow("dated price before start") << "o3" << "openai" << utc("2025-06-09T23:59:59") << "openai" << "o3" << 10.0 << 40.0 << 0.5 << -1.0;
        QTest::addRow("dated price from start") << "o3" << "openai" << utc("2025-06-10T00:00:00") << "openai" << "o3" << 2.0 << 8.0 << 0.5 << -1.0;
        QTest::addRow("dated price later") << "mistral-medium-latest" << "" << utc("2026-07-01T12:00:00") << "mistral" << "mistral-medium-latest" << 1.5 << 7.5 << 0.15 << -1.0;
        QTest::addRow("time-of-day price ignored") << "deepseek-chat" << "deepseek" << utc("2026-01-01T12:00:00") << "deepseek" << "deepseek-chat" << 0.135 << 0.55 << 0.035 << -1.0;
    }

    void find()
    {
        QFETCH(QString, model);
        QFETCH(QString, provider);
        QFETCH(QDateTime, when);
        const auto table = PriceTable::builtin();
        const std::optional<ModelPrice> p = table->find(model, provider, when);
        QVERIFY(p);
        QTEST(p->providerId, "providerId");
        QTEST(p->modelId, "modelId");
        QTEST(p->inputPerMTok, "input");
        QTEST(p->outputPerMTok, "output");
        QTEST(p->cacheReadPerMTok, "cacheRead");
        QTEST(p->cacheWritePerMTok, "cacheWrite");
        // Cached lookups answer the same.
        QCOMPARE(table->find(model, provider, when), p);
    }

    void unknownModel_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("provider");
        QTest::addRow("unknown") << "totally-unknown-model-x" << "";
        QTest::addRow("unknown with provider") << "totally-unknown-model-x" << "openai";
        QTest::addRow("empty") << "" << "openai";
        QTest::addRow("blank") << "   " << "";
        QTest::addRow("only a prefix") << "openai/" << "";
    }

    void unknownModel()
    {
        QFETCH(QString, model);
        QFETCH(QString, provider);
        QVERIFY(!PriceTable::builtin()->find(model, provider));
    }

    void tiers()
    {
        // gemini-1.5-pro: input {"base": 1.25, "tiers": [{"start": 128000, "price": 2.5}]},
        // output {"base": 5, "tiers": [{"start": 128000, "price": 10}]}.
        const std::optional<ModelPrice> p = PriceTable::builtin()->find("gemini-1.5-pro", "google");
        QVERIFY(p);
        QCOMPARE(p->tiers.size(), 1);
        QCOMPARE(p->tiers.first(), (PriceTier{128000, 2.5, 10.0, -1, -1}));
        QCOMPARE(p->atInputTokens(1000).inputPerMTok, 1.25);
        QCOMPARE(p->atInputTokens(128000).inputPerMTok, 1.25);  // a tier applies above its start
        QCOMPARE(p->atInputTokens(128001).inputPerMTok, 2.5);
        QCOMPARE(p->atInputTokens(128001).outputPerMTok, 10.0);
        QVERIFY(p->atInputTokens(128001).tiers.isEmpty());
    }

    void computedCost_data()
    {
        QTest::addColumn<Span>("span");
        QTest::addColumn<double>("inputUsd");
        QTest::addColumn<double>("outputUsd");

        // gpt-4o-mini: input 0.15, cache_read 0.075, output 0.6 $/MTok.
        Span mini = llmSpan("gpt-4o-mini", "openai", 1000, 500);
        mini.tokens.cachedInput = 400;
        // 600 × 0.15 + 400 × 0.075 = 90 + 30 = 120 µ$; 500 × 0.6 = 300 µ$
        QTest::addRow("gpt-4o-mini with cache reads") << mini << 0.00012 << 0.0003;

        // claude-3-5-sonnet: input 3, cache_write 3.75, cache_read 0.3, output 15 $/MTok.
        Span sonnet = llmSpan("claude-3-5-sonnet-20240620", "anthropic", 10000, 1000);
        sonnet.tokens.cachedInput = 6000;
        sonnet.tokens.cacheCreation = 2000;
        sonnet.tokens.reasoning = 200;  // inside output: not charged twice
        // 2000 × 3 + 6000 × 0.3 + 2000 × 3.75 = 6000 + 1800 + 7500 = 15300 µ$; 1000 × 15 = 15000 µ$
        QTest::addRow("claude-3-5-sonnet with cache reads and writes") << sonnet << 0.0153 << 0.015;

        // Cache counted apart from the input (more cached than input): 100 × 3 + 1000 × 0.3 = 600 µ$.
        Span apart = llmSpan("claude-3-5-sonnet-20240620", "anthropic", 100, 0);
        apart.tokens.cachedInput = 1000;
        QTest::addRow("cache reported apart from input") << apart << 0.0006 << 0.0;

        // gpt-4o-mini has no cache-write price: writes at the input price. 0.15 × (100 + 200).
        Span writes = llmSpan("gpt-4o-mini", "openai", 300, 0);
        writes.tokens.cacheCreation = 200;
        QTest::addRow("cache write falls back to input price") << writes << 0.000045 << 0.0;

        // Response model wins over the request model: gpt-4o 2.5 / 10.
        Span response = llmSpan("gpt-4o-mini", "openai", 1000, 1000);
        response.responseModel = "gpt-4o-2024-08-06";
        QTest::addRow("response model priced") << response << 0.0025 << 0.01;

        // Unknown response model, known request model.
        Span fallback = llmSpan("gpt-4o", "openai", 1000, 1000);
        fallback.responseModel = "my-deployment-name";
        QTest::addRow("request model when response model unknown") << fallback << 0.0025 << 0.01;

        // gemini-1.5-pro above the 128k tier: 200000 × 2.5 = 0.5 $, 1000 × 10 = 0.01 $.
        QTest::addRow("tiered, above") << llmSpan("gemini-1.5-pro", "gcp.vertex_ai", 200000, 1000) << 0.5 << 0.01;
        // below: 100000 × 1.25 = 0.125 $, 1000 × 5 = 0.005 $.
        QTest::addRow("tiered, below") << llmSpan("gemini-1.5-pro", "gcp.vertex_ai", 100000, 1000) << 0.125 << 0.005;

        // o3 at the span's start time: 2 / 8 from 2025-06-10, 10 / 40 before.
        Span o3new = llmSpan("o3", "openai", 1000, 1000);
        o3new.startNs = utc("2025-07-01T00:00:00").toMSecsSinceEpoch() * 1000000;
        QTest::addRow("dated price by span start") << o3new << 0.002 << 0.008;
        Span o3old = o3new;
        o3old.startNs = utc("2025-01-01T00:00:00").toMSecsSinceEpoch() * 1000000;
        QTest::addRow("older dated price by span start") << o3old << 0.01 << 0.04;

        QTest::addRow("only output known") << llmSpan("gpt-4o", "openai", -1, 2000) << 0.0 << 0.02;
    }

    void computedCost()
    {
        QFETCH(Span, span);
        QFETCH(double, inputUsd);
        QFETCH(double, outputUsd);
        applyComputedCost(span, *PriceTable::builtin());
        QCOMPARE(span.cost.source, CostSource::Computed);
        QVERIFY2(qFuzzyCompare(1 + span.cost.inputUsd, 1 + inputUsd), qPrintable(QString::number(span.cost.inputUsd, 'g', 17)));
        QVERIFY2(qFuzzyCompare(1 + span.cost.outputUsd, 1 + outputUsd), qPrintable(QString::number(span.cost.outputUsd, 'g', 17)));
        QVERIFY(qFuzzyCompare(1 + span.cost.totalUsd, 1 + inputUsd + outputUsd));
    }

    void costLeftAlone_data()
    {
        QTest::addColumn<Span>("span");
        Span reported = llmSpan("gpt-4o", "openai", 1000, 1000);
        reported.cost = Cost{0.123, 0.1, 0.023, CostSource::Reported};
        QTest::addRow("reported cost") << reported;
        QTest::addRow("no model") << llmSpan("", "openai", 1000, 1000);
        QTest::addRow("no tokens") << llmSpan("gpt-4o", "openai", -1, -1);
        QTest::addRow("unknown model") << llmSpan("totally-unknown-model-x", "", 10, 10);
        // GitHub Copilot's gpt-4o is in the table without token prices (subscription).
        QTest::addRow("model without token prices") << llmSpan("gpt-4o", "github-copilot", 10, 10);
    }

    void costLeftAlone()
    {
        QFETCH(Span, span);
        const Cost before = span.cost;
        applyComputedCost(span, *PriceTable::builtin());
        QCOMPARE(span.cost, before);
    }

    void overrides()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = writeFile(dir, "prices.json", R"({"models": [
            {"match": "gpt-4o", "provider": "openai", "input_mtok": 1, "output_mtok": 2, "cache_read_mtok": 0.5},
            {"match": {"starts_with": "my-ft-"}, "name": "Our fine-tunes", "input_mtok": 5, "output_mtok": 6}
        ]})");
        QString error;
        const auto table = PriceTable::withOverrides(path, &error);
        QVERIFY2(table, qPrintable(error));
        QCOMPARE(table->modelCount(), PriceTable::builtin()->modelCount() + 2);

        auto check = [&](const QString &model, const QString &provider, double input, bool isOverride) {
            const std::optional<ModelPrice> p = table->find(model, provider);
            if (!p)
                return QStringLiteral("%1/%2: not found").arg(provider, model);
            if (p->inputPerMTok != input || p->isOverride != isOverride)
                return QStringLiteral("%1/%2: input %3 override %4").arg(provider, model).arg(p->inputPerMTok).arg(int(p->isOverride));
            return QString();
        };
        QCOMPARE(check("gpt-4o", "openai", 1, true), QString());
        QCOMPARE(check("openai/gpt-4o", "", 1, true), QString());
        QCOMPARE(check("gpt-4o-2024-08-06", "openai", 1, true), QString());
        QCOMPARE(check("gpt-4o", "", 1, true), QString());          // provider unknown: it may apply
        QCOMPARE(check("gpt-4o", "azure.openai", 2.5, false), QString());  // another provider's span
        QCOMPARE(check("gpt-4o-mini", "openai", 0.15, false), QString());
        QCOMPARE(check("my-ft-123", "", 5, true), QString());
        QCOMPARE(check("MY-FT-abc", "anthropic", 5, true), QString());
        QCOMPARE(table->find("my-ft-123")->modelName, "Our fine-tunes");
        // The built-in table is unchanged.
        QCOMPARE(PriceTable::builtin()->find("gpt-4o", "openai")->inputPerMTok, 2.5);

        Span span = llmSpan("gpt-4o", "openai", 1000, 1000);
        applyComputedCost(span, *table);
        QVERIFY(qFuzzyCompare(span.cost.totalUsd, 0.001 + 0.002));
    }

    void overridesInGenaiPricesFormat()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir, "genai.json", R"({"providers": [{"provider": "openai", "name": "OpenAI", "models": [
            {"id": "gpt-4o", "match": {"equals": "gpt-4o"}, "prices": {"input_mtok": 9, "output_mtok": 9}}]}]})");
        QString error;
        const auto table = PriceTable::withOverrides(path, &error);
        QVERIFY2(table, qPrintable(error));
        QCOMPARE(table->find("gpt-4o", "openai")->inputPerMTok, 9.0);
        QCOMPARE(table->find("gpt-4o")->inputPerMTok, 9.0);
        QCOMPARE(table->find("gpt-4o-mini")->inputPerMTok, 0.15);
    }

    void malformedOverrides_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("reason");
        QTest::addRow("not JSON") << QByteArray(R"({"models": [)") << "invalid JSON at byte";
        QTest::addRow("wrong root") << QByteArray(R"([1, 2])") << "expected an object";
        QTest::addRow("models not a list") << QByteArray(R"({"models": {}})") << "\"models\" must be a list";
        QTest::addRow("no match") << QByteArray(R"({"models": [{"input_mtok": 1}]})") << "models[0]: \"match\" is missing";
        QTest::addRow("no price") << QByteArray(R"({"models": [{"match": "x"}]})") << "models[0]: needs input_mtok or output_mtok";
        QTest::addRow("price as text") << QByteArray(R"({"models": [{"match": "x", "input_mtok": "1.5"}]})") << "models[0]: \"input_mtok\" must be a number";
        QTest::addRow("unknown rule") << QByteArray(R"({"models": [{"match": "a", "input_mtok": 1}, {"match": {"like": "x"}, "input_mtok": 1}]})") << "models[1]: match: unknown match rule \"like\"";
        // Not a raw string: moc 6.4 misreads "( inside one and then finds no Q_OBJECT class.
        QTest::addRow("bad regex") << QByteArray("{\"models\": [{\"match\": {\"regex\": \"(unclosed\"}, \"input_mtok\": 1}]}") << "models[0]: match: invalid regex";
        QTest::addRow("provider not text") << QByteArray(R"({"models": [{"match": "x", "provider": 3, "input_mtok": 1}]})") << "models[0]: \"provider\" must be a string";
        QByteArray deep = R"({"models": [{"input_mtok": 1, "match": )";
        for (int i = 0; i < 10000; ++i)
            deep += R"({"or": [)";
        deep += R"("x")";
        for (int i = 0; i < 10000; ++i)
            deep += "]}";
        deep += "}]}";
        QTest::addRow("rules nested absurdly deep") << deep << "models[0]: match: match rules nested too deeply";
        QTest::addRow("genai-prices without prices") << QByteArray(R"({"providers": [{"provider": "p", "models": [{"id": "m", "match": "m"}]}]})") << "providers[0].models[0]: needs \"match\" and \"prices\"";
    }

    void malformedOverrides()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        const QString path = writeFile(dir, "bad-prices.json", content);
        QString error;
        QVERIFY(!PriceTable::withOverrides(path, &error));
        QVERIFY2(error.startsWith(path + ": "), qPrintable(error));
        QVERIFY2(error.contains(reason), qPrintable(error));
    }

    void missingOverrideFile()
    {
        QString error;
        const QString path = "/nonexistent/dir/prices.json";
        QVERIFY(!PriceTable::withOverrides(path, &error));
        QVERIFY2(error.startsWith(path + ": "), qPrintable(error));
    }

    void concurrentLookups()
    {
        const auto table = PriceTable::builtin();
        const QStringList models = {"gpt-4o", "gpt-4o-mini-2024-07-18", "claude-3-5-sonnet-20240620", "openai/o1-mini",
                                    "gemini-1.5-pro-002", "unknown-x", "composer-2.5[fast=true]"};
        // Many distinct keys so that threads also race on misses, not only on hits.
        std::atomic<int> mismatches{0};
        auto work = [&](int seed) {
            for (int i = 0; i < 3000; ++i) {
                const QString &m = models.at((i + seed) % models.size());
                const QString provider = QStringLiteral("p%1").arg(i % 50);
                const auto a = table->find(m, provider);
                const auto b = table->find(m);
                if (a.has_value() != b.has_value() || (a && a->modelId != b->modelId))
                    ++mismatches;
            }
        };
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back(work, t);
        for (std::thread &t : threads)
            t.join();
        QCOMPARE(mismatches.load(), 0);
    }

    void lookupThroughput()
    {
        const auto table = PriceTable::builtin();
        Span span = llmSpan("gpt-4o-mini", "openai", 1000, 100);
        span.responseModel = "gpt-4o-mini-2024-07-18";
        span.startNs = utc("2025-01-01T00:00:00").toMSecsSinceEpoch() * 1000000;
        const int n = 200000;
        QElapsedTimer t;
        t.start();
        double sum = 0;
        for (int i = 0; i < n; ++i) {
            span.cost = Cost{};
            applyComputedCost(span, *table);
            sum += span.cost.totalUsd;
        }
        qDebug("applyComputedCost (cached lookup): %.3f us per span", t.nsecsElapsed() / 1000.0 / n);
        QVERIFY(sum > 0);
    }
};

QTEST_GUILESS_MAIN(TestPriceTable)
#include "tst_pricetable.moc"
