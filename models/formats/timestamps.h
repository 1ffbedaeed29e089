#pragma once

#include <QString>

#include <optional>
#include <string_view>

namespace spanscope::timestamps {

// Times in vendor exports, as nanoseconds since the Unix epoch. Every function returns nullopt
// for text that is not such a time or a time outside what 64-bit nanoseconds hold (1678–2261).

// ISO-8601 / RFC 3339 date-time: "2024-10-11T20:58:23.298773+00:00", "…Z", "… 20:58:23" (space
// separator), ±HH:MM / ±HHMM / ±HH offsets, 0–9 fraction digits (more are cut), no zone = UTC,
// or a date alone (midnight UTC).
std::optional<qint64> parseIso8601(std::string_view text);
std::optional<qint64> parseIso8601(QStringView text);

// The compact stamp of a LangSmith dotted_order segment: "20241011T205823298773Z" (µs).
std::optional<qint64> parseCompactStamp(std::string_view text);

// An epoch number in an unknown unit, guessed from its magnitude (seconds, milliseconds,
// microseconds or nanoseconds: values after 1973 in each unit do not overlap).
std::optional<qint64> epochToNs(double value);

// `value` × `factor` (e.g. µs → ns), nullopt on overflow or a negative value.
std::optional<qint64> scaled(qint64 value, qint64 factor);

// "2024-10-11T20:58:23.298773Z"-style text of a time (UTC, as many fraction digits as needed).
QString toIso8601(qint64 ns);

} // namespace spanscope::timestamps
