import type { AzureMonitorOpenTelemetryOptions } from '@azure/monitor-opentelemetry';

type SpanProcessor = NonNullable<AzureMonitorOpenTelemetryOptions['spanProcessors']>[number];
type WritableSpan = Parameters<SpanProcessor['onStart']>[0];

/** Where the HTTP and Azure SDK instrumentations put a request's address, old and new conventions. */
const URL_ATTRIBUTES = ['http.url', 'url.full', 'http.target', 'url.path', 'url.query'] as const;

/** A path segment kept as it is: a word such as `v3`, `conversations` or a table name; never an id. */
const PLAIN_SEGMENT = /^[A-Za-z][A-Za-z0-9._]{0,39}$/;

/**
 * A request's URL without what identifies someone: table entity keys (`checkins(PartitionKey=…,
 * RowKey=…)`), Bot Connector conversation and activity ids, and every query string. An anonymous
 * near-miss turn's spans (the reporter's chat, the report's row) share one operation id, so an
 * address left whole in a trace would name the reporter.
 */
export function redactUrl(value: string): string {
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
  let url: URL;
  try {
    url = new URL(value, 'http://relative.invalid');
  } catch {
    return '*';
  }
  const path = url.pathname
    .split('/')
    .map((segment) => {
      const name = segment.replace(/\(.*$/, '');
      return name === '' || (PLAIN_SEGMENT.test(name) && !/\d{3}/.test(name)) ? name : '*';
    })
    .join('/');
  return absolute ? `${url.origin}${path}` : path;
}

function redact(span: WritableSpan): void {
  for (const key of URL_ATTRIBUTES) {
    const value = span.attributes[key];
    if (typeof value === 'string') span.setAttribute(key, key === 'url.query' ? '' : redactUrl(value));
  }
}

/**
 * Rewrites the addresses before any other processor reads them. Azure Monitor's own processor (live
 * and standard metrics) comes first at onEnd, so onEnding, which every processor gets before any
 * onEnd, is where it is done; onStart as well, should an SDK version not call onEnding.
 */
export const urlRedaction: SpanProcessor = {
  onStart: (span) => redact(span),
  onEnding: (span) => redact(span),
  onEnd: () => undefined,
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};
