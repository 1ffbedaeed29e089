#include "pricetableoverrides.h"

#include <QCoreApplication>
#include <QDate>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSet>

namespace spanscope {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("spanscope::PriceTableOverrides", text);
}

double number(const QJsonValue &v)
{
    return v.isDouble() ? v.toDouble() : -1;
}

// A genai-prices price field: a number, or {"base": n, "tiers": […]} (base only).
double basePrice(const QJsonValue &v)
{
    if (v.isDouble())
        return v.toDouble();
    if (v.isObject())
        return number(v.toObject().value(QLatin1String("base")));
    return -1;
}

bool hasTiers(const QJsonObject &prices)
{
    for (auto it = prices.begin(); it != prices.end(); ++it) {
        if (it.value().isObject() && it.value().toObject().contains(QLatin1String("tiers")))
            return true;
    }
    return false;
}

const char *const PriceKeys[] = {"input_mtok", "output_mtok", "cache_read_mtok", "cache_write_mtok"};

double *field(PriceOverride &o, int i)
{
    switch (i) {
    case 0: return &o.inputPerMTok;
    case 1: return &o.outputPerMTok;
    case 2: return &o.cacheReadPerMTok;
    default: return &o.cacheWritePerMTok;
    }
}

// Reads the price fields of an overrides entry or a genai-prices "prices" object.
void readPrices(const QJsonObject &source, PriceOverride &o)
{
    for (int i = 0; i < 4; ++i)
        *field(o, i) = basePrice(source.value(QLatin1String(PriceKeys[i])));
    if (hasTiers(source))
        o.tieredPrices = source;
}

QString ruleText(const QJsonValue &rule)
{
    if (rule.isString())
        return rule.toString();
    const QJsonObject o = rule.toObject();
    if (o.size() != 1)
        return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
    const QString key = o.begin().key();
    const QJsonValue v = o.begin().value();
    if (key == QLatin1String("equals"))
        return v.toString();
    if (key == QLatin1String("starts_with"))
        return v.toString() + QLatin1Char('*');
    if (key == QLatin1String("ends_with"))
        return QLatin1Char('*') + v.toString();
    if (key == QLatin1String("contains"))
        return QLatin1Char('*') + v.toString() + QLatin1Char('*');
    if (key == QLatin1String("regex"))
        return QLatin1Char('/') + v.toString() + QLatin1Char('/');
    if ((key == QLatin1String("or") || key == QLatin1String("and")) && v.isArray()) {
        QStringList parts;
        for (const QJsonValue &c : v.toArray())
            parts << ruleText(c);
        return parts.join(key == QLatin1String("or") ? QStringLiteral(" | ") : QStringLiteral(" & "));
    }
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

std::optional<PriceOverride> parseEntry(const QJsonObject &m, QString *error, int index)
{
    const QString where = QStringLiteral("models[%1]").arg(index);
    PriceOverride o;
    o.match = m.value(QLatin1String("match"));
    if (!o.match.isString() && !o.match.isObject()) {
        *error = where + tr(": \"match\" must be a model name or a rule");
        return std::nullopt;
    }
    const QJsonValue provider = m.value(QLatin1String("provider"));
    if (!provider.isUndefined() && !provider.isNull() && !provider.isString()) {
        *error = where + tr(": \"provider\" must be a string");
        return std::nullopt;
    }
    o.provider = provider.toString().trimmed().toLower();
    o.id = m.value(QLatin1String("id")).toString();
    o.name = m.value(QLatin1String("name")).toString();
    readPrices(m.contains(QLatin1String("prices")) ? m.value(QLatin1String("prices")).toObject() : m, o);
    if (o.inputPerMTok < 0 && o.outputPerMTok < 0) {
        *error = where + tr(": needs input_mtok or output_mtok");
        return std::nullopt;
    }
    return o;
}

// genai-prices: the price variant in force today (dated variants: the latest started one).
QJsonObject currentPrices(const QJsonValue &prices)
{
    if (prices.isObject())
        return prices.toObject();
    const QJsonArray list = prices.toArray();
    QJsonObject fallback;
    QJsonObject best;
    QDate bestDate;
    for (const QJsonValue &v : list) {
        const QJsonObject entry = v.toObject();
        const QJsonObject constraint = entry.value(QLatin1String("constraint")).toObject();
        const QJsonObject p = entry.value(QLatin1String("prices")).toObject();
        if (constraint.isEmpty()) {
            fallback = p;
            continue;
        }
        if (constraint.value(QLatin1String("type")).toString() != QLatin1String("start_date"))
            continue;   // time-of-day discounts are not prices of a model
        const QDate d = QDate::fromString(constraint.value(QLatin1String("start_date")).toString(), Qt::ISODate);
        if (d.isValid() && d <= QDate::currentDate() && (!bestDate.isValid() || d >= bestDate)) {
            bestDate = d;
            best = p;
        }
    }
    return bestDate.isValid() ? best : fallback;
}

} // namespace

QString PriceOverride::matchText() const
{
    return ruleText(match);
}

std::optional<PriceTableOverrides> PriceTableOverrides::load(const QString &path, QString *error)
{
    QFile f(path);
    if (!f.exists())
        return PriceTableOverrides{};
    if (!f.open(QIODevice::ReadOnly)) {
        *error = path + QStringLiteral(": ") + f.errorString();
        return std::nullopt;
    }
    QString reason;
    auto table = fromJson(f.readAll(), &reason);
    if (!table)
        *error = path + QStringLiteral(": ") + reason;
    return table;
}

std::optional<PriceTableOverrides> PriceTableOverrides::fromJson(const QByteArray &json, QString *error)
{
    const std::optional<Import> imported = importJson(json, error);
    if (!imported)
        return std::nullopt;
    PriceTableOverrides t;
    t.entries = imported->entries;
    return t;
}

QByteArray PriceTableOverrides::toJson() const
{
    QJsonArray models;
    for (const PriceOverride &o : entries) {
        QJsonObject m;
        m.insert(QStringLiteral("match"), o.match);
        if (!o.provider.isEmpty())
            m.insert(QStringLiteral("provider"), o.provider);
        if (!o.id.isEmpty())
            m.insert(QStringLiteral("id"), o.id);
        if (!o.name.isEmpty())
            m.insert(QStringLiteral("name"), o.name);
        PriceOverride copy = o;
        if (!o.tieredPrices.isEmpty()) {
            // Tiers kept; a field edited since (its base differs) becomes a plain number.
            QJsonObject prices = o.tieredPrices;
            for (int i = 0; i < 4; ++i) {
                const QString key = QLatin1String(PriceKeys[i]);
                const double v = *field(copy, i);
                if (v < 0)
                    prices.remove(key);
                else if (basePrice(prices.value(key)) != v)
                    prices.insert(key, v);
            }
            m.insert(QStringLiteral("prices"), prices);
        } else {
            for (int i = 0; i < 4; ++i) {
                if (*field(copy, i) >= 0)
                    m.insert(QLatin1String(PriceKeys[i]), *field(copy, i));
            }
        }
        models.append(m);
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("models"), models}}).toJson(QJsonDocument::Indented);
}

bool PriceTableOverrides::save(const QString &path, QString *error) const
{
    QSaveFile f(path);
    if (f.open(QIODevice::WriteOnly)) {
        f.write(toJson());
        if (f.commit())
            return true;
    }
    *error = path + QStringLiteral(": ") + f.errorString();
    return false;
}

int PriceTableOverrides::merge(const QList<PriceOverride> &more)
{
    int changed = 0;
    for (const PriceOverride &o : more) {
        auto it = std::find_if(entries.begin(), entries.end(), [&](const PriceOverride &e) { return e.sameKey(o); });
        if (it == entries.end()) {
            entries << o;
            ++changed;
        } else if (!(*it == o)) {
            *it = o;
            ++changed;
        }
    }
    return changed;
}

QString PriceTableOverrides::providerFromLiteLlm(const QString &litellmProvider)
{
    const QString p = litellmProvider.trimmed().toLower();
    static const std::pair<const char *, const char *> aliases[] = {
        {"azure", "azure"},           {"azure_ai", "azure"},       {"azure_text", "azure"},  {"bedrock", "aws"},
        {"bedrock_converse", "aws"},  {"sagemaker", "aws"},        {"gemini", "google"},     {"palm", "google"},
        {"xai", "x-ai"},              {"together_ai", "together"}, {"fireworks_ai", "fireworks"},
        {"text-completion-openai", "openai"}, {"cohere_chat", "cohere"}, {"mistral", "mistral"}, {"codestral", "mistral"},
        {"moonshot", "moonshotai"},   {"zai", "zai"},
    };
    for (const auto &[from, to] : aliases) {
        if (p == QLatin1String(from))
            return QString::fromLatin1(to);
    }
    if (p.startsWith(QLatin1String("vertex_ai")))
        return QStringLiteral("google");
    return p;
}

std::optional<PriceTableOverrides::Import> PriceTableOverrides::importJson(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = tr("invalid JSON at byte %1: %2").arg(parseError.offset).arg(parseError.errorString());
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = tr("expected a JSON object");
        return std::nullopt;
    }
    const QJsonObject root = doc.object();
    Import out;
    if (root.value(QLatin1String("models")).isArray()) {
        out.format = ImportFormat::Overrides;
        const QJsonArray models = root.value(QLatin1String("models")).toArray();
        for (int i = 0; i < models.size(); ++i) {
            if (!models[i].isObject()) {
                *error = QStringLiteral("models[%1]").arg(i) + tr(": not an object");
                return std::nullopt;
            }
            std::optional<PriceOverride> o = parseEntry(models[i].toObject(), error, i);
            if (!o)
                return std::nullopt;
            out.entries << *o;
        }
        return out;
    }
    if (root.value(QLatin1String("providers")).isArray()) {
        out.format = ImportFormat::GenaiPrices;
        for (const QJsonValue &pv : root.value(QLatin1String("providers")).toArray()) {
            const QJsonObject p = pv.toObject();
            // genai-prices names the id "id"; the bundled file calls it "provider".
            const QString provider = p.value(QLatin1String("id")).toString(p.value(QLatin1String("provider")).toString()).toLower();
            for (const QJsonValue &mv : p.value(QLatin1String("models")).toArray()) {
                const QJsonObject m = mv.toObject();
                PriceOverride o;
                o.match = m.value(QLatin1String("match"));
                o.provider = provider;
                o.id = m.value(QLatin1String("id")).toString();
                o.name = m.value(QLatin1String("name")).toString();
                readPrices(currentPrices(m.value(QLatin1String("prices"))), o);
                if ((!o.match.isString() && !o.match.isObject()) || (o.inputPerMTok < 0 && o.outputPerMTok < 0)) {
                    ++out.skipped;
                    continue;
                }
                out.entries << o;
            }
        }
        return out;
    }
    // LiteLLM: {"model": {"input_cost_per_token": …, "litellm_provider": …}, "sample_spec": {…}}.
    out.format = ImportFormat::LiteLlm;
    QSet<QString> seen;
    bool any = false;
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (!it.value().isObject() || it.key() == QLatin1String("sample_spec"))
            continue;
        const QJsonObject m = it.value().toObject();
        if (!m.contains(QLatin1String("litellm_provider")) && !m.contains(QLatin1String("input_cost_per_token"))
            && !m.contains(QLatin1String("output_cost_per_token")))
            continue;
        any = true;
        PriceOverride o;
        o.provider = providerFromLiteLlm(m.value(QLatin1String("litellm_provider")).toString());
        // "azure/gpt-4o", "bedrock/us-east-1/anthropic.claude-…": the model is the last part; the
        // provider says where it runs.
        QString model = it.key();
        const qsizetype slash = model.lastIndexOf(QLatin1Char('/'));
        if (slash >= 0)
            model = model.mid(slash + 1);
        o.match = model;
        auto perMTok = [&](const char *key) {
            const QJsonValue v = m.value(QLatin1String(key));
            return v.isDouble() ? v.toDouble() * 1e6 : -1.0;
        };
        o.inputPerMTok = perMTok("input_cost_per_token");
        o.outputPerMTok = perMTok("output_cost_per_token");
        o.cacheReadPerMTok = perMTok("cache_read_input_token_cost");
        o.cacheWritePerMTok = perMTok("cache_creation_input_token_cost");
        if (model.isEmpty() || (o.inputPerMTok < 0 && o.outputPerMTok < 0)) {
            ++out.skipped;
            continue;
        }
        const QString key = o.provider + QChar(0x1f) + model.toLower();
        if (seen.contains(key))
            continue;   // the first listing of a model at a provider wins
        seen.insert(key);
        out.entries << o;
    }
    if (!any) {
        *error = tr("not a price file (expected LiteLLM's model_prices_and_context_window.json, a genai-prices file "
                    "or a Spanscope overrides file)");
        return std::nullopt;
    }
    return out;
}

} // namespace spanscope
