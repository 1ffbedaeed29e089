#pragma once

// Model prices for computing the cost of LLM spans whose producer reported none.
//
// Built-in data: genai-prices 0.1.8 (MIT), embedded as a resource. Lookup follows genai-prices:
// the model name is lower-cased; a provider prefix ("openai/gpt-4o", "models/gemini-1.5-pro",
// "openai:gpt-4o") is stripped and used as a provider hint; the span's provider ("openai",
// "azure.openai", "aws.bedrock", "gcp.vertex_ai", …) is tried first, then every provider
// (model makers first: openai, anthropic, google, mistral, …); a dated suffix
// ("-2024-08-06", "-20240620", "@20240620") the rules do not know is retried without the date.
//
// Overrides file (JSON; user prices win over built-in ones):
//
//   {
//     "models": [
//       { "match": "gpt-4o", "provider": "openai",
//         "input_mtok": 2.5, "output_mtok": 10, "cache_read_mtok": 1.25, "cache_write_mtok": 3.125 },
//       { "match": { "starts_with": "my-finetune-" }, "input_mtok": 1, "output_mtok": 2 }
//     ]
//   }
//
// - Prices are USD per million tokens. At least one of input_mtok / output_mtok is required;
//   cache reads and writes default to the input price.
// - "match" is a model name (compared case-insensitively, after the same prefix and date handling
//   as built-in names) or a genai-prices rule: {"equals"|"starts_with"|"ends_with"|"contains"|
//   "regex": "text"}, {"or": [rules]}, {"and": [rules]}.
// - "provider" (optional) limits an entry to spans whose provider resolves to that id; an entry
//   without one applies whatever the provider. "id" and "name" (optional) label the entry.
// - A complete genai-prices file ({"providers": [...]}) is accepted as an overrides file too.

#include "trace/span.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace spanscope {

// A higher price that applies to a whole request once its input tokens exceed `start`
// (genai-prices "tiers": Anthropic's and Google's long-context prices). Negative = this field keeps
// the price below the tier.
struct PriceTier {
    qint64 start = 0;
    double inputPerMTok = -1;
    double outputPerMTok = -1;
    double cacheReadPerMTok = -1;
    double cacheWritePerMTok = -1;
    friend bool operator==(const PriceTier &, const PriceTier &) = default;
};

// USD per million tokens; negative = not priced.
struct ModelPrice {
    QString providerId;   // "openai"
    QString modelId;      // "gpt-4o"
    QString modelName;    // "GPT-4o"
    double inputPerMTok = -1;
    double outputPerMTok = -1;
    double cacheReadPerMTok = -1;
    double cacheWritePerMTok = -1;
    QList<PriceTier> tiers;   // ascending by start; empty for flat prices
    bool isOverride = false;  // came from the user's overrides file

    // The flat prices for a request with this many input tokens (tiers applied, then dropped).
    ModelPrice atInputTokens(qint64 inputTokens) const;
    friend bool operator==(const ModelPrice &, const ModelPrice &) = default;
};

// The price table: genai-prices data shipped as a resource, plus optional user overrides.
// Immutable once built (its lookup cache is internally synchronised); share it across threads as
// std::shared_ptr<const PriceTable>.
class PriceTable
{
public:
    PriceTable();
    ~PriceTable();
    PriceTable(const PriceTable &) = delete;
    PriceTable &operator=(const PriceTable &) = delete;

    // The built-in table (parsed once, then shared).
    static std::shared_ptr<const PriceTable> builtin();
    // Built-in table with the user's overrides on top (format above). On error returns nullptr
    // and sets *error to "FILE: reason".
    static std::shared_ptr<const PriceTable> withOverrides(const QString &overridePath, QString *error);
    // A table holding only the prices in `json` (either format); for tests. On error returns
    // nullptr and sets *error to the reason.
    static std::shared_ptr<const PriceTable> fromJson(const QByteArray &json, QString *error);

    // Finds the price for a model name as producers write it ("gpt-4o", "openai/gpt-4o",
    // "gpt-4o-2024-08-06", "claude-3-5-sonnet@20240620", …), optionally helped by the provider name.
    // `when` picks among dated prices: the latest entry whose start date is not after `when`;
    // invalid = now. Time-of-day prices (off-peak discounts) are ignored.
    std::optional<ModelPrice> find(const QString &model, const QString &provider = {},
                                   const QDateTime &when = {}) const;

    // Every model's price at `when` (overrides first), e.g. for a settings page.
    QList<ModelPrice> allPrices(const QDateTime &when = {}) const;
    int modelCount() const;
    // Where the built-in data came from (the file's "source"), empty for tables without it.
    QString source() const;

private:
    struct Data;
    std::unique_ptr<Data> m_d;
};

// Sets span.cost from prices when the producer reported none and the span has a model and token
// counts: uncached input at the input price, cache reads at the cache-read price, cache writes at
// the cache-write price (both fall back to the input price), output (reasoning included) at the
// output price; tiers chosen by the input token count, dated prices by the span's start time.
// Leaves reported costs alone, and leaves the cost as it was when the model has no price (or no
// price for a count it has). Running it again with another table re-prices computed costs.
void applyComputedCost(Span &span, const PriceTable &prices);

} // namespace spanscope
