#pragma once

#include "trace/span.h"

#include <QString>

namespace spanscope {

// Secrets found in traces — API keys and credentials in attributes, headers and bodies — are
// replaced by "[REDACTED]" on import (ImportOptions::keepSecrets turns it off). What is replaced:
//   - the value of a credential-named key, as an attribute (the last dot-separated part of its key)
//     or inside JSON text: authorization, proxy-authorization, x-api-key, api-key, api_key, apikey,
//     apiKey, x-portkey-api-key, x-goog-api-key, client_secret, secret_key, access_token,
//     refresh_token, password;
//   - "Bearer …" / "Basic …" credentials anywhere in text;
//   - tokens shaped like provider keys anywhere in text: sk-… (OpenAI, Anthropic sk-ant-…,
//     project keys sk-proj-…), AIza… (Google), AKIA… (AWS), ghp_/gho_/github_pat_… (GitHub),
//     hf_… (Hugging Face), xox[bpas]-… (Slack);
//   - api_key / apikey / access_token / key parameters of URLs.
// A short non-secret prefix stays where it tells what the secret was ("Bearer [REDACTED]",
// "sk-proj-[REDACTED]"). Redaction is idempotent: redacted text is left as it is.
namespace redaction {

inline constexpr QLatin1StringView Marker{"[REDACTED]"};

// `text` with its secrets replaced; *changed says whether anything was.
QString redactText(const QString &text, bool *changed = nullptr);
// True when a key (attribute key, header or JSON member name) names a credential.
bool isCredentialKey(QStringView key);
// The value of a credential-named key: its recognisable prefix kept, the rest replaced.
QString redactCredential(const QString &value);

// Every string of the span that can carry a secret: attributes (recursively into lists and maps),
// resource, scope, event and link attributes, the status message, and the LLM fields an importer
// may have filled (input, output, messages, parameters, metadata). Returns the number of values
// changed.
int redactSpan(Span &span);
int redactSpans(SpanList &spans);

} // namespace redaction
} // namespace spanscope
