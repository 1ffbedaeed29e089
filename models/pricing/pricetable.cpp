#include "pricetable.h"

#include <nlohmann/json.hpp>

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QLoggingCategory>
#include <QRegularExpression>

#include <algorithm>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <vector>

Q_LOGGING_CATEGORY(lcPricing, "spanscope.pricing", QtInfoMsg)

namespace spanscope {

namespace {

using Json = nlohmann::json;

const QString kBuiltinPath = QStringLiteral(":/pricing/genai-prices-0.1.8.json");

QString qs(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// A genai-prices match rule, compiled once. Texts are lower-cased at parse time because model
// names are lower-cased before matching.
struct Rule {
    enum class Op : quint8 { Never, Equals, StartsWith, EndsWith, Contains, Regex, Or, And };
    Op op = Op::Never;
    QString text;
    QRegularExpression regex;
    std::vector<Rule> children;

    bool matches(const QString &s) const
    {
        switch (op) {
        case Op::Equals: return s == text;
        case Op::StartsWith: return s.startsWith(text);
        case Op::EndsWith: return s.endsWith(text);
        case Op::Contains: return s.contains(text);
        case Op::Regex: return regex.match(s).hasMatch();
        case Op::Or: return std::any_of(children.begin(), children.end(), [&](const Rule &r) { return r.matches(s); });
        case Op::And: return !children.empty() && std::all_of(children.begin(), children.end(), [&](const Rule &r) { return r.matches(s); });
        case Op::Never: break;
        }
        return false;
    }
};

bool parseRule(const Json &j, Rule &out, QString *error, int depth = 0)
{
    if (depth > 32) {
        *error = QStringLiteral("match rules nested too deeply");
        return false;
    }
    if (j.is_string()) {
        out.op = Rule::Op::Equals;
        out.text = qs(j.get<std::string>()).trimmed().toLower();
        return true;
    }
    if (!j.is_object() || j.size() != 1) {
        *error = QStringLiteral("a match rule must be a string or an object with one key");
        return false;
    }
    const std::string &key = j.begin().key();
    const Json &value = j.begin().value();
    if (key == "or" || key == "and") {
        if (!value.is_array()) {
            *error = QStringLiteral("\"%1\" needs an array of rules").arg(qs(key));
            return false;
        }
        out.op = key == "or" ? Rule::Op::Or : Rule::Op::And;
        for (const Json &child : value) {
            Rule r;
            if (!parseRule(child, r, error, depth + 1))
                return false;
            out.children.push_back(std::move(r));
        }
        return true;
    }
    static const std::map<std::string, Rule::Op> textOps = {
        {"equals", Rule::Op::Equals},     {"starts_with", Rule::Op::StartsWith}, {"ends_with", Rule::Op::EndsWith},
        {"contains", Rule::Op::Contains}, {"regex", Rule::Op::Regex},
    };
    const auto it = textOps.find(key);
    if (it == textOps.end()) {
        *error = QStringLiteral("unknown match rule \"%1\"").arg(qs(key));
        return false;
    }
    if (!value.is_string()) {
        *error = QStringLiteral("\"%1\" needs a string").arg(qs(key));
        return false;
    }
    out.op = it->second;
    if (out.op == Rule::Op::Regex) {
        out.regex = QRegularExpression(qs(value.get<std::string>()), QRegularExpression::CaseInsensitiveOption);
        if (!out.regex.isValid()) {
            *error = QStringLiteral("invalid regex \"%1\": %2").arg(out.regex.pattern(), out.regex.errorString());
            return false;
        }
        out.regex.optimize();
    } else {
        out.text = qs(value.get<std::string>()).toLower();
    }
    return true;
}

struct PriceField {
    double base = -1;
    std::vector<std::pair<qint64, double>> tiers; // start, price
};

struct PriceSet {
    PriceField input, output, cacheRead, cacheWrite;
};

// A number, or {"base": x, "tiers": [{"start": n, "price": y}]}. Unknown shapes are not prices.
PriceField parsePriceField(const Json &j)
{
    PriceField f;
    if (j.is_number()) {
        f.base = j.get<double>();
    } else if (j.is_object()) {
        if (const auto b = j.find("base"); b != j.end() && b->is_number())
            f.base = b->get<double>();
        if (const auto t = j.find("tiers"); t != j.end() && t->is_array()) {
            for (const Json &tier : *t) {
                const auto start = tier.find("start");
                const auto price = tier.find("price");
                if (tier.is_object() && start != tier.end() && start->is_number() && price != tier.end() && price->is_number())
                    f.tiers.emplace_back(start->get<qint64>(), price->get<double>());
            }
            std::sort(f.tiers.begin(), f.tiers.end());
        }
    }
    return f;
}

PriceSet parsePriceSet(const Json &j)
{
    PriceSet p;
    if (!j.is_object())
        return p;
    auto field = [&](const char *key, PriceField &f) {
        if (const auto it = j.find(key); it != j.end())
            f = parsePriceField(*it);
    };
    field("input_mtok", p.input);
    field("output_mtok", p.output);
    field("cache_read_mtok", p.cacheRead);
    field("cache_write_mtok", p.cacheWrite);
    return p;
}

struct PriceVariant {
    enum class Constraint : quint8 { None, StartDate, TimeOfDay };
    Constraint constraint = Constraint::None;
    QDateTime start; // StartDate: midnight UTC of the start date
    PriceSet prices;
};

struct ModelEntry {
    QString providerId;
    QString id;
    QString name;
    Rule match;
    std::vector<PriceVariant> variants; // never empty
    bool isOverride = false;
};

struct ProviderEntry {
    QString id;
    QString name;
    std::optional<Rule> providerMatch;
    std::vector<ModelEntry> models;
};

struct Catalogue {
    QString source;
    std::vector<ProviderEntry> providers;
    std::vector<int> searchOrder; // provider indices, in the order an unhinted lookup tries them
    QHash<QString, int> indexById;
    int modelCount = 0;

    const ProviderEntry *provider(const QString &id) const
    {
        const int i = indexById.value(id, -1);
        return i < 0 ? nullptr : &providers[size_t(i)];
    }
};

bool parsePrices(const Json &j, std::vector<PriceVariant> &out, QString *error)
{
    if (j.is_object()) {
        out.push_back(PriceVariant{PriceVariant::Constraint::None, {}, parsePriceSet(j)});
        return true;
    }
    if (!j.is_array() || j.empty()) {
        *error = QStringLiteral("\"prices\" must be an object or a non-empty list");
        return false;
    }
    for (const Json &entry : j) {
        if (!entry.is_object()) {
            *error = QStringLiteral("a dated price must be an object");
            return false;
        }
        PriceVariant v;
        v.prices = parsePriceSet(entry.contains("prices") ? entry["prices"] : Json());
        if (const auto c = entry.find("constraint"); c != entry.end() && c->is_object()) {
            const std::string type = c->value("type", std::string());
            if (type == "start_date") {
                const QDate date = QDate::fromString(qs(c->value("start_date", std::string())), Qt::ISODate);
                if (!date.isValid()) {
                    *error = QStringLiteral("bad start_date in a dated price");
                    return false;
                }
                v.constraint = PriceVariant::Constraint::StartDate;
                v.start = date.startOfDay(Qt::UTC);
            } else {
                // time_of_date (off-peak windows) and anything newer: never picked.
                v.constraint = PriceVariant::Constraint::TimeOfDay;
            }
        }
        out.push_back(std::move(v));
    }
    return true;
}

// The built-in catalogue is tried model makers first, so that an unhinted "gpt-4o" gets OpenAI's
// price rather than a reseller's that happens to come earlier in the file.
const QStringList &modelMakers()
{
    static const QStringList makers = {
        QStringLiteral("openai"), QStringLiteral("anthropic"), QStringLiteral("google"), QStringLiteral("mistral"),
        QStringLiteral("x-ai"), QStringLiteral("deepseek"), QStringLiteral("cohere"), QStringLiteral("moonshotai"),
        QStringLiteral("zai"), QStringLiteral("zhipuai"), QStringLiteral("minimax"), QStringLiteral("perplexity"),
        QStringLiteral("voyageai"),
    };
    return makers;
}

void finishCatalogue(Catalogue &c, bool makersFirst)
{
    c.modelCount = 0;
    for (size_t i = 0; i < c.providers.size(); ++i) {
        c.indexById.insert(c.providers[i].id, int(i));
        c.modelCount += int(c.providers[i].models.size());
    }
    if (makersFirst) {
        for (const QString &id : modelMakers()) {
            if (const int i = c.indexById.value(id, -1); i >= 0)
                c.searchOrder.push_back(i);
        }
    }
    for (size_t i = 0; i < c.providers.size(); ++i) {
        if (std::find(c.searchOrder.begin(), c.searchOrder.end(), int(i)) == c.searchOrder.end())
            c.searchOrder.push_back(int(i));
    }
}

bool parseGenaiPrices(const Json &root, Catalogue &c, bool isOverride, QString *error)
{
    c.source = qs(root.value("source", std::string()));
    const Json &providers = root["providers"];
    if (!providers.is_array()) {
        *error = QStringLiteral("\"providers\" must be a list");
        return false;
    }
    for (size_t pi = 0; pi < providers.size(); ++pi) {
        const Json &p = providers[pi];
        const QString where = QStringLiteral("providers[%1]").arg(pi);
        if (!p.is_object()) {
            *error = where + QStringLiteral(": not an object");
            return false;
        }
        ProviderEntry pe;
        // This bundle names the id "provider"; upstream's own files call it "id".
        pe.id = qs(p.value("provider", p.value("id", std::string()))).toLower();
        pe.name = qs(p.value("name", std::string()));
        if (pe.id.isEmpty()) {
            *error = where + QStringLiteral(": no provider id");
            return false;
        }
        if (const auto pm = p.find("provider_match"); pm != p.end() && !pm->is_null()) {
            Rule r;
            if (!parseRule(*pm, r, error)) {
                *error = where + QStringLiteral(": provider_match: ") + *error;
                return false;
            }
            pe.providerMatch = std::move(r);
        }
        const Json models = p.value("models", Json::array());
        if (!models.is_array()) {
            *error = where + QStringLiteral(": \"models\" must be a list");
            return false;
        }
        for (size_t mi = 0; mi < models.size(); ++mi) {
            const Json &m = models[mi];
            const QString mwhere = where + QStringLiteral(".models[%1]").arg(mi);
            ModelEntry me;
            me.providerId = pe.id;
            me.isOverride = isOverride;
            me.id = qs(m.value("id", std::string()));
            me.name = qs(m.value("name", m.value("id", std::string())));
            if (!m.is_object() || !m.contains("match") || !m.contains("prices")) {
                *error = mwhere + QStringLiteral(": needs \"match\" and \"prices\"");
                return false;
            }
            if (!parseRule(m["match"], me.match, error) || !parsePrices(m["prices"], me.variants, error)) {
                *error = mwhere + QStringLiteral(": ") + *error;
                return false;
            }
            pe.models.push_back(std::move(me));
        }
        c.providers.push_back(std::move(pe));
    }
    return true;
}

bool parseOverrideModels(const Json &root, Catalogue &c, QString *error)
{
    const Json &models = root["models"];
    if (!models.is_array()) {
        *error = QStringLiteral("\"models\" must be a list");
        return false;
    }
    std::map<QString, size_t> providerIndex;
    for (size_t i = 0; i < models.size(); ++i) {
        const Json &m = models[i];
        const QString where = QStringLiteral("models[%1]").arg(i);
        if (!m.is_object()) {
            *error = where + QStringLiteral(": not an object");
            return false;
        }
        if (!m.contains("match")) {
            *error = where + QStringLiteral(": \"match\" is missing");
            return false;
        }
        ModelEntry me;
        me.isOverride = true;
        if (!parseRule(m["match"], me.match, error)) {
            *error = where + QStringLiteral(": match: ") + *error;
            return false;
        }
        const Json &priceSource = m.contains("prices") ? m["prices"] : m;
        PriceSet prices = parsePriceSet(priceSource);
        for (const char *key : {"input_mtok", "output_mtok", "cache_read_mtok", "cache_write_mtok"}) {
            if (priceSource.contains(key) && !priceSource[key].is_number() && !priceSource[key].is_object()) {
                *error = where + QStringLiteral(": \"%1\" must be a number").arg(QLatin1String(key));
                return false;
            }
        }
        if (prices.input.base < 0 && prices.output.base < 0) {
            *error = where + QStringLiteral(": needs input_mtok or output_mtok");
            return false;
        }
        me.variants.push_back(PriceVariant{PriceVariant::Constraint::None, {}, std::move(prices)});
        const Json &provider = m.contains("provider") ? m["provider"] : Json();
        if (!provider.is_null() && !provider.is_string()) {
            *error = where + QStringLiteral(": \"provider\" must be a string");
            return false;
        }
        me.providerId = provider.is_string() ? qs(provider.get<std::string>()).trimmed().toLower() : QString();
        const QString matchText = m["match"].is_string() ? qs(m["match"].get<std::string>()) : QString();
        me.id = qs(m.value("id", std::string()));
        if (me.id.isEmpty())
            me.id = matchText.isEmpty() ? where : matchText;
        me.name = qs(m.value("name", std::string()));
        if (me.name.isEmpty())
            me.name = me.id;

        auto [it, inserted] = providerIndex.try_emplace(me.providerId, c.providers.size());
        if (inserted)
            c.providers.push_back(ProviderEntry{me.providerId, me.providerId, std::nullopt, {}});
        c.providers[it->second].models.push_back(std::move(me));
    }
    return true;
}

std::shared_ptr<const Catalogue> parseCatalogue(const QByteArray &bytes, bool isOverride, QString *error)
{
    Json root;
    try {
        root = Json::parse(bytes.constData(), bytes.constData() + bytes.size());
    } catch (const Json::parse_error &e) {
        *error = QStringLiteral("invalid JSON at byte %1: %2").arg(e.byte).arg(QString::fromUtf8(e.what()));
        return nullptr;
    }
    try {
        auto c = std::make_shared<Catalogue>();
        if (!root.is_object() || (!root.contains("providers") && !root.contains("models"))) {
            *error = QStringLiteral("expected an object with \"models\" (overrides) or \"providers\" (genai-prices)");
            return nullptr;
        }
        const bool ok = root.contains("providers") ? parseGenaiPrices(root, *c, isOverride, error)
                                                   : parseOverrideModels(root, *c, error);
        if (!ok)
            return nullptr;
        finishCatalogue(*c, !isOverride);
        return c;
    } catch (const std::exception &e) {
        // Type errors from a value of an unexpected JSON type.
        *error = QStringLiteral("unexpected value: %1").arg(QString::fromUtf8(e.what()));
        return nullptr;
    }
}

std::shared_ptr<const Catalogue> builtinCatalogue()
{
    static const std::shared_ptr<const Catalogue> catalogue = [] {
        QElapsedTimer timer;
        timer.start();
        QFile f(kBuiltinPath);
        QString error;
        std::shared_ptr<const Catalogue> c;
        if (!f.open(QIODevice::ReadOnly))
            error = f.errorString();
        else
            c = parseCatalogue(f.readAll(), false, &error);
        if (!c) {
            qCWarning(lcPricing) << "built-in price table unusable:" << kBuiltinPath << error;
            c = std::make_shared<Catalogue>();
        }
        qCDebug(lcPricing) << "built-in price table:" << c->modelCount << "models parsed in" << timer.elapsed() << "ms";
        return c;
    }();
    return catalogue;
}

// Provider names as producers write them (OpenTelemetry gen_ai.provider.name values, LiteLLM and
// pydantic-ai prefixes) for the genai-prices ids they mean. Looked up before provider_match
// rules, which would send "azure.openai" to OpenAI.
const QHash<QString, QString> &providerAliases()
{
    static const QHash<QString, QString> aliases = [] {
        const std::pair<const char16_t *, const char16_t *> rows[] = {
            {u"azure.openai", u"azure"},      {u"az.ai.openai", u"azure"},       {u"az.ai.inference", u"azure"},
            {u"azure_openai", u"azure"},      {u"azure-openai", u"azure"},       {u"azure_ai", u"azure"},
            {u"aws.bedrock", u"aws"},         {u"bedrock", u"aws"},              {u"amazon_bedrock", u"aws"},
            {u"aws_bedrock", u"aws"},         {u"gcp.vertex_ai", u"google"},     {u"gcp.gemini", u"google"},
            {u"gcp.gen_ai", u"google"},       {u"vertex_ai", u"google"},         {u"vertexai", u"google"},
            {u"gemini", u"google"},           {u"google_genai", u"google"},      {u"google-gla", u"google"},
            {u"google-vertex", u"google"},    {u"x_ai", u"x-ai"},                {u"xai", u"x-ai"},
            {u"mistral_ai", u"mistral"},      {u"mistralai", u"mistral"},        {u"together_ai", u"together"},
            {u"togetherai", u"together"},     {u"fireworks_ai", u"fireworks"},   {u"fireworks-ai", u"fireworks"},
            {u"moonshot", u"moonshotai"},     {u"z-ai", u"zai"},                 {u"z.ai", u"zai"},
            {u"zhipu", u"zhipuai"},           {u"voyage", u"voyageai"},
        };
        QHash<QString, QString> h;
        for (const auto &[from, to] : rows)
            h.insert(QString::fromUtf16(from), QString::fromUtf16(to));
        return h;
    }();
    return aliases;
}

QString providerId(const QString &name, const Catalogue &base, const Catalogue *overrides, bool exactOnly)
{
    const QString n = name.trimmed().toLower();
    if (n.isEmpty())
        return {};
    if (const auto it = providerAliases().constFind(n); it != providerAliases().cend())
        return *it;
    if (base.indexById.contains(n) || (overrides && overrides->indexById.contains(n)))
        return n;
    if (exactOnly)
        return {};
    for (const ProviderEntry &p : base.providers) {
        if (p.providerMatch && p.providerMatch->matches(n))
            return p.id;
    }
    return {};
}

bool allDigits(const QString &s, qsizetype from, qsizetype count)
{
    for (qsizetype i = from; i < from + count; ++i) {
        if (!s.at(i).isDigit())
            return false;
    }
    return true;
}

// "gpt-4o-2024-08-06" -> "gpt-4o", "claude-3-5-sonnet-20240620" / "…@20240620" -> "claude-3-5-sonnet".
QString withoutDateSuffix(const QString &s)
{
    const qsizetype n = s.size();
    auto isSep = [&](qsizetype i) { return s.at(i) == QLatin1Char('-') || s.at(i) == QLatin1Char('@'); };
    if (n > 11 && isSep(n - 11) && allDigits(s, n - 10, 4) && s.at(n - 6) == QLatin1Char('-') && allDigits(s, n - 5, 2)
        && s.at(n - 3) == QLatin1Char('-') && allDigits(s, n - 2, 2))
        return s.left(n - 11);
    if (n > 9 && isSep(n - 9) && allDigits(s, n - 8, 8))
        return s.left(n - 9);
    return {};
}

PriceVariant const &variantAt(const ModelEntry &m, const QDateTime &when)
{
    const QDateTime t = when.isValid() ? when : QDateTime::currentDateTimeUtc();
    // genai-prices: the last applicable entry wins; the unconstrained one is the fallback.
    for (auto it = m.variants.rbegin(); it != m.variants.rend(); ++it) {
        if (it->constraint == PriceVariant::Constraint::None)
            return *it;
        if (it->constraint == PriceVariant::Constraint::StartDate && t >= it->start)
            return *it;
    }
    return m.variants.front();
}

ModelPrice priceOf(const ModelEntry &m, const QDateTime &when)
{
    const PriceSet &p = variantAt(m, when).prices;
    ModelPrice out;
    out.providerId = m.providerId;
    out.modelId = m.id;
    out.modelName = m.name;
    out.isOverride = m.isOverride;
    out.inputPerMTok = p.input.base;
    out.outputPerMTok = p.output.base;
    out.cacheReadPerMTok = p.cacheRead.base;
    out.cacheWritePerMTok = p.cacheWrite.base;
    std::map<qint64, PriceTier> tiers;
    auto addTiers = [&](const PriceField &f, double PriceTier::*member) {
        for (const auto &[start, price] : f.tiers) {
            PriceTier &t = tiers[start];
            t.start = start;
            t.*member = price;
        }
    };
    addTiers(p.input, &PriceTier::inputPerMTok);
    addTiers(p.output, &PriceTier::outputPerMTok);
    addTiers(p.cacheRead, &PriceTier::cacheReadPerMTok);
    addTiers(p.cacheWrite, &PriceTier::cacheWritePerMTok);
    for (const auto &[start, tier] : tiers)
        out.tiers << tier;
    return out;
}

const ModelEntry *matchIn(const ProviderEntry &p, const QStringList &candidates)
{
    for (const QString &name : candidates) {
        for (const ModelEntry &m : p.models) {
            if (m.match.matches(name))
                return &m;
        }
    }
    return nullptr;
}

} // namespace

ModelPrice ModelPrice::atInputTokens(qint64 inputTokens) const
{
    ModelPrice out = *this;
    out.tiers.clear();
    for (const PriceTier &t : tiers) {
        // genai-prices: a tier applies once the input strictly exceeds its start.
        if (inputTokens <= t.start)
            break;
        if (t.inputPerMTok >= 0)
            out.inputPerMTok = t.inputPerMTok;
        if (t.outputPerMTok >= 0)
            out.outputPerMTok = t.outputPerMTok;
        if (t.cacheReadPerMTok >= 0)
            out.cacheReadPerMTok = t.cacheReadPerMTok;
        if (t.cacheWritePerMTok >= 0)
            out.cacheWritePerMTok = t.cacheWritePerMTok;
    }
    return out;
}

struct PriceTable::Data {
    std::shared_ptr<const Catalogue> base;
    std::shared_ptr<const Catalogue> overrides; // may be null

    // (model, provider) -> entry. The same handful of models repeat across millions of spans, so
    // lookups are nearly all hits and take the shared lock only; misses (rare) run the rules under
    // the exclusive lock, which also keeps QRegularExpression use single-threaded.
    mutable std::shared_mutex cacheMutex;
    mutable QHash<QString, const ModelEntry *> cache;

    const ModelEntry *lookup(const QString &model, const QString &provider) const;
    const ModelEntry *resolve(const QString &model, const QString &provider) const;
};

const ModelEntry *PriceTable::Data::lookup(const QString &model, const QString &provider) const
{
    const QString key = model % QChar(0x1f) % provider;
    {
        std::shared_lock lock(cacheMutex);
        if (const auto it = cache.constFind(key); it != cache.cend())
            return *it;
    }
    std::unique_lock lock(cacheMutex);
    if (const auto it = cache.constFind(key); it != cache.cend())
        return *it;
    const ModelEntry *entry = resolve(model, provider);
    // Bounded: a producer that puts a unique string in the model field must not grow it forever.
    if (cache.size() >= 4096)
        cache.clear();
    cache.insert(key, entry);
    return entry;
}

const ModelEntry *PriceTable::Data::resolve(const QString &model, const QString &provider) const
{
    const QString name = model.trimmed().toLower();
    if (name.isEmpty() || !base)
        return nullptr;
    const Catalogue *over = overrides.get();

    QStringList hints;
    auto addHint = [&](const QString &id) {
        if (!id.isEmpty() && !hints.contains(id))
            hints << id;
    };
    addHint(providerId(provider, *base, over, false));

    QStringList candidates{name};
    const QStringList segments = name.split(QLatin1Char('/'));
    for (qsizetype i = 1; i < segments.size(); ++i) {
        addHint(providerId(segments.at(i - 1), *base, over, true));
        candidates << segments.mid(i).join(QLatin1Char('/'));
    }
    if (segments.size() == 1) {
        // pydantic-ai's "openai:gpt-4o"; Bedrock's "…-v1:0" has no provider before its colon.
        if (const qsizetype colon = name.indexOf(QLatin1Char(':')); colon > 0) {
            const QString id = providerId(name.left(colon), *base, over, true);
            if (!id.isEmpty()) {
                addHint(id);
                candidates << name.mid(colon + 1);
            }
        }
    }
    candidates.removeAll(QString());
    for (qsizetype i = 0, n = candidates.size(); i < n; ++i) {
        const QString undated = withoutDateSuffix(candidates.at(i));
        if (!undated.isEmpty() && !candidates.contains(undated))
            candidates << undated;
    }

    for (const Catalogue *cat : {over, base.get()}) {
        if (!cat)
            continue;
        for (const QString &id : std::as_const(hints)) {
            if (const ProviderEntry *p = cat->provider(id))
                if (const ModelEntry *m = matchIn(*p, candidates))
                    return m;
        }
        // An override naming a provider is only for that provider; built-in prices of another
        // provider are still better than none.
        const bool restrictToGeneric = cat == over && !hints.isEmpty();
        for (const QString &candidate : std::as_const(candidates)) {
            for (const int pi : cat->searchOrder) {
                const ProviderEntry &p = cat->providers[size_t(pi)];
                if (restrictToGeneric && !p.id.isEmpty())
                    continue;
                if (const ModelEntry *m = matchIn(p, QStringList{candidate}))
                    return m;
            }
        }
    }
    return nullptr;
}

PriceTable::PriceTable() : m_d(std::make_unique<Data>()) {}

PriceTable::~PriceTable() = default;

std::shared_ptr<const PriceTable> PriceTable::builtin()
{
    static const std::shared_ptr<const PriceTable> table = [] {
        auto t = std::make_shared<PriceTable>();
        t->m_d->base = builtinCatalogue();
        return t;
    }();
    return table;
}

std::shared_ptr<const PriceTable> PriceTable::withOverrides(const QString &overridePath, QString *error)
{
    QFile f(overridePath);
    QString reason;
    std::shared_ptr<const Catalogue> overrides;
    if (!f.open(QIODevice::ReadOnly))
        reason = f.errorString();
    else
        overrides = parseCatalogue(f.readAll(), true, &reason);
    if (!overrides) {
        if (error)
            *error = overridePath + QStringLiteral(": ") + reason;
        return nullptr;
    }
    auto t = std::make_shared<PriceTable>();
    t->m_d->base = builtinCatalogue();
    t->m_d->overrides = std::move(overrides);
    return t;
}

std::shared_ptr<const PriceTable> PriceTable::fromJson(const QByteArray &json, QString *error)
{
    QString reason;
    std::shared_ptr<const Catalogue> c = parseCatalogue(json, false, &reason);
    if (!c) {
        if (error)
            *error = reason;
        return nullptr;
    }
    auto t = std::make_shared<PriceTable>();
    t->m_d->base = std::move(c);
    return t;
}

std::optional<ModelPrice> PriceTable::find(const QString &model, const QString &provider, const QDateTime &when) const
{
    const ModelEntry *m = m_d->lookup(model, provider);
    if (!m)
        return std::nullopt;
    return priceOf(*m, when);
}

QList<ModelPrice> PriceTable::allPrices(const QDateTime &when) const
{
    QList<ModelPrice> out;
    out.reserve(modelCount());
    for (const Catalogue *cat : {m_d->overrides.get(), m_d->base.get()}) {
        if (!cat)
            continue;
        for (const ProviderEntry &p : cat->providers) {
            for (const ModelEntry &m : p.models)
                out << priceOf(m, when);
        }
    }
    return out;
}

int PriceTable::modelCount() const
{
    return (m_d->base ? m_d->base->modelCount : 0) + (m_d->overrides ? m_d->overrides->modelCount : 0);
}

QString PriceTable::source() const
{
    return m_d->base ? m_d->base->source : QString();
}

void applyComputedCost(Span &span, const PriceTable &prices)
{
    if (span.cost.source == CostSource::Reported)
        return;
    const TokenUsage &t = span.tokens;
    if ((t.input < 0 && t.output < 0) || span.model().isEmpty())
        return;
    const QDateTime when = span.startNs > 0 ? QDateTime::fromMSecsSinceEpoch(span.startNs / 1000000, Qt::UTC) : QDateTime();
    std::optional<ModelPrice> price;
    if (!span.responseModel.isEmpty())
        price = prices.find(span.responseModel, span.provider, when);
    if (!price && !span.requestModel.isEmpty() && span.requestModel != span.responseModel)
        price = prices.find(span.requestModel, span.provider, when);
    if (!price)
        return;

    const qint64 input = std::max<qint64>(t.input, 0);
    const qint64 cacheRead = std::max<qint64>(t.cachedInput, 0);
    const qint64 cacheWrite = std::max<qint64>(t.cacheCreation, 0);
    const qint64 output = std::max<qint64>(t.output, 0);
    // Cache counts are meant to be part of the input; a producer reporting more cached tokens
    // than input evidently counted them apart (Anthropic's raw usage does).
    const bool cacheApart = cacheRead + cacheWrite > input;
    const qint64 uncached = cacheApart ? input : input - cacheRead - cacheWrite;
    const qint64 totalInput = cacheApart ? input + cacheRead + cacheWrite : input;
    const ModelPrice p = price->atInputTokens(totalInput);

    bool priced = true;
    auto cost = [&](qint64 tokens, double perMTok, double fallback) {
        if (tokens <= 0)
            return 0.0;
        const double rate = perMTok >= 0 ? perMTok : fallback;
        if (rate < 0) {
            priced = false;
            return 0.0;
        }
        return double(tokens) * rate / 1e6;
    };
    const double inputUsd = cost(uncached, p.inputPerMTok, -1) + cost(cacheRead, p.cacheReadPerMTok, p.inputPerMTok)
        + cost(cacheWrite, p.cacheWritePerMTok, p.inputPerMTok);
    const double outputUsd = cost(output, p.outputPerMTok, -1);
    if (!priced)
        return;
    span.cost = Cost{inputUsd + outputUsd, inputUsd, outputUsd, CostSource::Computed};
}

} // namespace spanscope
