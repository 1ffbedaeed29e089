#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

namespace spanscope {

// One user price: the overrides file format documented in pricing/pricetable.h.
struct PriceOverride {
    QJsonValue match;             // a model name (string) or a genai-prices match rule (object)
    QString provider;             // a provider id ("openai", "azure", …); empty = any provider
    double inputPerMTok = -1;     // USD per million tokens; negative = not given
    double outputPerMTok = -1;
    double cacheReadPerMTok = -1;
    double cacheWritePerMTok = -1;
    QJsonObject tieredPrices;     // genai-prices "prices" with tiers, written as is (edits replace a field)
    QString id;
    QString name;

    bool isSimple() const { return match.isString(); }
    QString matchText() const;    // the model name, or the rule as "gpt-4o*", "*-mini", "/regex/"…
    bool sameKey(const PriceOverride &other) const { return match == other.match && provider == other.provider; }
    friend bool operator==(const PriceOverride &, const PriceOverride &) = default;
};

// The user's price overrides: read, edited, written back; imports from LiteLLM's
// model_prices_and_context_window.json and from genai-prices files.
class PriceTableOverrides
{
public:
    QList<PriceOverride> entries;

    // A file that does not exist is an empty table; one that cannot be read or parsed is an error.
    static std::optional<PriceTableOverrides> load(const QString &path, QString *error);
    static std::optional<PriceTableOverrides> fromJson(const QByteArray &json, QString *error);
    QByteArray toJson() const;
    bool save(const QString &path, QString *error) const;   // atomically

    // Adds or replaces (same match and provider) entries; returns how many were added or changed.
    int merge(const QList<PriceOverride> &more);

    enum class ImportFormat { LiteLlm, GenaiPrices, Overrides };
    struct Import {
        QList<PriceOverride> entries;
        ImportFormat format = ImportFormat::Overrides;
        int skipped = 0;          // models without an input or output price
    };
    // Reads a LiteLLM (`{model: {input_cost_per_token, …}}`), genai-prices (`{"providers": […]}`) or
    // overrides (`{"models": […]}`) file; nullopt and `error` set when it is none of them.
    static std::optional<Import> importJson(const QByteArray &json, QString *error);
    // LiteLLM's provider names as the price table's provider ids ("bedrock" -> "aws").
    static QString providerFromLiteLlm(const QString &litellmProvider);
};

} // namespace spanscope
