// Sends traces to a Spanscope receiver with the real OpenTelemetry JS SDK and OTLP/HTTP exporters.
// usage: node send-traces.js ENDPOINT json|proto TRACES SPANS_PER_TRACE SERVICE
// Prints {"traceIds":[…],"exported":N,"failed":N} and exits 0 when every export succeeded.
const { trace, context, SpanStatusCode } = require('@opentelemetry/api');
const { BasicTracerProvider, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { resourceFromAttributes } = require('@opentelemetry/resources');

const [endpoint, protocol, nTraces, nSpans, service] = process.argv.slice(2);
const { OTLPTraceExporter } = protocol === 'proto'
  ? require('@opentelemetry/exporter-trace-otlp-proto')
  : require('@opentelemetry/exporter-trace-otlp-http');
const inner = new OTLPTraceExporter({ url: endpoint + '/v1/traces', timeoutMillis: 10000 });
let exported = 0, failed = 0; const errors = [];
const exporter = {
  export(spans, done) {
    inner.export(spans, (result) => {
      if (result.code === 0) exported += spans.length; else { failed += spans.length; errors.push(String(result.error)); }
      done(result);
    });
  },
  shutdown() { return inner.shutdown(); },
  forceFlush() { return inner.forceFlush ? inner.forceFlush() : Promise.resolve(); },
};
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': service || 'otel-js-test' }),
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});
const tracer = provider.getTracer('spanscope-live-test', '1.0.0');
const traceIds = [];
for (let t = 0; t < Number(nTraces); ++t) {
  const root = tracer.startSpan('agent.run ' + t, { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'tester', 'test.index': t } });
  const ctx = trace.setSpan(context.active(), root);
  for (let s = 1; s < Number(nSpans); ++s) {
    const child = tracer.startSpan('chat gpt-4o-mini', { attributes: {
      'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 100 + s, 'gen_ai.usage.output_tokens': 20,
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'hello ' + t }] }]),
      'http.request.header.authorization': 'Bearer sk-live-secret-123456',
    } }, ctx);
    if (s === 2) child.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited' });
    child.end();
  }
  root.end();
  traceIds.push(root.spanContext().traceId);
}
provider.forceFlush().then(() => provider.shutdown()).then(() => {
  console.log(JSON.stringify({ traceIds, exported, failed, errors }));
  process.exit(failed === 0 ? 0 : 1);
}, (e) => { console.log(JSON.stringify({ traceIds, exported, failed, errors: [String(e)] })); process.exit(1); });
