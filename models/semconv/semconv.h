#pragma once

#include "trace/span.h"

namespace spanscope::semconv {

// Fills the first-class LLM fields of `span` (kind, operation, models, provider, parameters, input/
// output, messages, tokens, reported cost, tool/agent names, documents, session, user, tags,
// metadata) from its raw attributes and events, following OpenTelemetry GenAI (current and older
// forms), OpenInference, and OpenLLMetry/Traceloop. Raw attributes and events are left untouched.
// Fields an importer has already set are kept unless the attributes say more (parameters and
// metadata are merged, tags united). Idempotent, thread-safe, never throws.
//
// Where several conventions carry the same field, the current GenAI attribute wins, then
// OpenInference, then the older forms. Messages come from the first source present:
// gen_ai.input/output.messages (span attribute, then the gen_ai.client.inference.operation.details
// event), llm.input/output_messages.N, gen_ai.prompt/completion.N, gen_ai.prompt/completion
// (attribute, then gen_ai.content.* event), then log-style gen_ai.*.message / gen_ai.choice events.
// gen_ai.system_instructions becomes a leading system message. Message text that looks like JSON
// but does not parse (typically truncated by the producer) ends up as the plain-text input/output
// when there are no messages.
//
// Kind: openinference.span.kind, else gen_ai.operation.name (or llm.request.type), else
// traceloop.span.kind, else `llm` for a span with a model and token counts or messages — the last
// only when the importer left the kind at `span`.
//
// When the input or output messages are exactly what one attribute parses to (through
// messagesFromAttribute() below), span.messageOrigin records which.
void normalize(Span &span);

enum class MessageDirection { Input, Output };
// The messages one attribute value holds, read as normalize() reads gen_ai.input.messages (input:
// default role "user") or gen_ai.output.messages (output: "assistant"): JSON text or structured
// values of GenAI, OpenAI or Anthropic messages, or plain text. Empty when it holds none.
Messages messagesFromAttribute(const QVariant &value, MessageDirection direction);

} // namespace spanscope::semconv
