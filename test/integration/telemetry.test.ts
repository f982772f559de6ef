import { randomUUID } from 'node:crypto';
import { shutdownAzureMonitor, useAzureMonitor } from '@azure/monitor-opentelemetry';
import { metrics } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type Histogram } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { outboxPartition } from '../../src/delivery/outbox.repository';
import { buildDemoOrg } from '../../src/directory/demo-org';
import type { Person } from '../../src/directory/org.schema';
import { fixedClock } from '../../src/shared/clock';
import { TABLES } from '../../src/storage/table-names';
import { startTelemetry } from '../../src/telemetry/azure-monitor';
import { hibiMetrics } from '../../src/telemetry/metrics';
import { urlRedaction } from '../../src/telemetry/url-redaction';
import { cardSubmit, personalInstall, personalMessage } from '../helpers/activities';
import { teamsUserOf } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';

// The distro is replaced: these tests check what hibi asks of it, and must not register its globals.
jest.mock('@azure/monitor-opentelemetry', () => ({ useAzureMonitor: jest.fn(), shutdownAzureMonitor: jest.fn(async () => undefined) }));

describe('startTelemetry', () => {
  afterEach(() => jest.clearAllMocks());

  it('does nothing without APPLICATIONINSIGHTS_CONNECTION_STRING: no distro, no global provider', async () => {
    const before = metrics.getMeterProvider();
    const telemetry = await startTelemetry({});
    await telemetry.shutdown();
    expect(telemetry.enabled).toBe(false);
    expect(useAzureMonitor).not.toHaveBeenCalled();
    expect(shutdownAzureMonitor).not.toHaveBeenCalled();
    expect(metrics.getMeterProvider()).toBe(before);
    // Used before any provider exists, as a CLI or a test does: the counts below still reach the provider registered later.
    hibiMetrics.startTurn('message')('ok');
    hibiMetrics.send('sent');
  });

  it('starts Azure Monitor with the connection string when it is set, and shuts it down', async () => {
    const connectionString = 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://example.invalid/';
    const telemetry = await startTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString });
    expect(telemetry.enabled).toBe(true);
    expect(useAzureMonitor).toHaveBeenCalledWith(
      expect.objectContaining({ azureMonitorExporterOptions: { connectionString }, spanProcessors: [urlRedaction] }),
    );
    await telemetry.shutdown();
    expect(shutdownAzureMonitor).toHaveBeenCalledTimes(1);
  });

  it('leaves no entity key, conversation id or query in a span’s address', async () => {
    const exporter = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [urlRedaction, new SimpleSpanProcessor(exporter)] }).getTracer('test');
    const table = "https://acct.table.core.windows.net/checkins(PartitionKey='t%7C%E4%BD%8F%E6%B0%91%E8%AA%B2',RowKey='A0100')?$select=answers";
    const connector = 'https://smba.trafficmanager.net/jp/v3/conversations/a:1xYz-personal/activities/1700000000000';
    const span = tracer.startSpan('GET', { attributes: { 'http.url': table, 'url.full': connector, 'http.target': '/api/messages?code=secret' } });
    span.setAttribute('url.query', 'personId=A0100');
    span.end();
    expect(exporter.getFinishedSpans()[0]!.attributes).toMatchObject({
      'http.url': 'https://acct.table.core.windows.net/checkins',
      'url.full': 'https://smba.trafficmanager.net/jp/v3/conversations/*/activities/*',
      'http.target': '/api/messages',
      'url.query': '',
    });
  });
});

interface Point {
  name: string;
  unit: string;
  attributes: Record<string, unknown>;
  value: number | Histogram;
}

const UNIT = '生涯学習課';
const DAY = '2026-11-25';
const jst = (iso: string): Date => new Date(`${iso}+09:00`);
const TYPED = '公民館の予約整理を午前中に終える';

describe('hibi metrics, from Teams turns and a scheduled fan-out', () => {
  // Delta: each collect() returns what happened since the one before.
  const exporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ readers: [reader] });
  const clock = fixedClock(jst(`${DAY}T08:46:00`));
  const org = buildDemoOrg();
  const unitMembers = org.people.filter((p) => p.unit === UNIT);
  const [submitter, chatty, ...others] = unitMembers as [Person, Person, ...Person[]];
  const everyPoint: Point[] = [];
  let t: TestApp;
  let first: Point[];

  async function collect(): Promise<Point[]> {
    exporter.reset();
    await reader.forceFlush();
    const points = exporter
      .getMetrics()
      .flatMap((resource) => resource.scopeMetrics)
      .flatMap((scope) => scope.metrics)
      .flatMap((metric) =>
        metric.dataPoints.map((point) => ({
          name: metric.descriptor.name,
          unit: metric.descriptor.unit,
          attributes: point.attributes,
          value: point.value as number | Histogram,
        })),
      );
    everyPoint.push(...points);
    return points;
  }

  /** The sum of a counter's points (or the count of a histogram's) whose attributes include `attributes`. */
  function total(points: Point[], name: string, attributes: Record<string, string> = {}): number {
    return points
      .filter((p) => p.name === name && Object.entries(attributes).every(([key, value]) => p.attributes[key] === value))
      .reduce((sum, p) => sum + (typeof p.value === 'number' ? p.value : p.value.count), 0);
  }

  function gauge(points: Point[], name: string): number | undefined {
    const found = points.filter((p) => p.name === name);
    expect(found.length).toBeLessThanOrEqual(1);
    return found[0]?.value as number | undefined;
  }

  async function outboxRows(day: string): Promise<number> {
    let rows = 0;
    const filter = `PartitionKey eq '${outboxPartition(t.tenantId, day)}'`;
    for await (const _row of t.app.tables.table(TABLES.outbox).listEntities({ queryOptions: { filter, select: ['RowKey'] } })) rows += 1;
    return rows;
  }

  const base = (): { serviceUrl: string; tenantId: string } => ({ serviceUrl: t.connector.serviceUrl, tenantId: t.tenantId });

  beforeAll(async () => {
    // hibi's modules were loaded by the imports above, and its metrics used, under the no-op provider:
    // every count below shows the instruments are taken under the provider registered when they are used.
    expect(metrics.setGlobalMeterProvider(provider)).toBe(true);
    const tenantId = randomUUID();
    t = await startTestApp({ TEST_TENANT_ID: tenantId, ALLOWED_TENANTS: tenantId, TURN_RATE_LIMIT_PER_MINUTE: '2' }, { clock });
    await t.app.org.importDirectory(t.tenantId, org);
    for (const person of unitMembers) expect(await t.post(personalInstall(teamsUserOf(person, base())))).toBe(200);
    first = await collect();
  }, 60_000);

  afterAll(async () => {
    await t.stop();
    await provider.shutdown();
    metrics.disable();
  });

  it('counts each install as a turn, with its duration in ms', () => {
    expect(total(first, 'hibi.turns', { kind: 'install', outcome: 'ok' })).toBe(unitMembers.length);
    expect(total(first, 'hibi.turns')).toBe(unitMembers.length);
    const durations = first.filter((p) => p.name === 'hibi.turn.duration');
    expect(durations.map((p) => [p.unit, p.attributes])).toEqual([['ms', { kind: 'install' }]]);
    expect((durations[0]!.value as Histogram).count).toBe(unitMembers.length);
  });

  it('counts a foreign tenant as refused and a message over the limit as rate limited', async () => {
    expect(await t.post(personalMessage({ ...teamsUserOf(chatty, base()), tenantId: randomUUID() }, 'help'))).toBe(200);
    for (let i = 0; i < 3; i++) await t.post(personalMessage(teamsUserOf(chatty, base()), 'help'));
    const points = await collect();
    expect(total(points, 'hibi.turns', { kind: 'message', outcome: 'refused' })).toBe(1);
    expect(total(points, 'hibi.turns', { kind: 'message', outcome: 'ok' })).toBe(2);
    expect(total(points, 'hibi.turns', { kind: 'message', outcome: 'rate_limited' })).toBe(1);
    expect(total(points, 'hibi.turns')).toBe(4);
  });

  it('counts the morning fan-out: job runs, the rollup, one send per recipient, and the backlog as rows finish', async () => {
    t.connector.reset();
    const ran = await t.app.runDueJobs();
    expect(ran).toBeGreaterThan(0);
    const queued = await outboxRows(DAY);
    const unreachable = queued - unitMembers.length;
    expect(unreachable).toBeGreaterThan(0);

    // Teams holds every call, so only the rows of people with no chat can finish (at once: no call to make).
    t.connector.holdAfter(0);
    const delivering = t.app.deliverPending();
    const before: Point[] = [];
    const deadline = Date.now() + 20_000;
    while (total(before, 'hibi.sends', { result: 'not_installed' }) < unreachable && Date.now() < deadline) {
      before.push(...(await collect()));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const held = await collect();
    t.connector.release();
    await delivering;
    const after = await collect();

    const during = [...before, ...held];
    expect(total(during, 'hibi.job.runs', { outcome: 'ok' })).toBe(ran);
    expect(total(during, 'hibi.job.runs', { job: 'checkin.prompt', outcome: 'ok' })).toBeGreaterThan(0);
    expect(total(during, 'hibi.job.runs', { job: 'kpi.rollup', outcome: 'ok' })).toBe(1);
    expect(total(during, 'hibi.job.runs', { outcome: 'failed' })).toBe(0);
    const rollup = during.filter((p) => p.name === 'hibi.kpi.rollup.duration');
    expect(rollup.map((p) => [p.unit, (p.value as Histogram).count])).toEqual([['ms', 1]]);

    // Everyone outside the unit has no chat with hibi (what HR's 未インストール lists); the unit's prompts wait for Teams.
    expect(total(during, 'hibi.sends', { result: 'not_installed' })).toBe(unreachable);
    expect(total(during, 'hibi.sends', { result: 'sent' })).toBe(0);
    expect(gauge(held, 'hibi.outbox.backlog')).toBe(unitMembers.length);
    expect(gauge(held, 'hibi.outbox.oldest_age')).toBeGreaterThan(0);
    expect(held.find((p) => p.name === 'hibi.outbox.oldest_age')?.unit).toBe('s');

    expect(t.connector.sent()).toHaveLength(unitMembers.length);
    expect(total(after, 'hibi.sends', { result: 'sent' })).toBe(unitMembers.length);
    expect(total([...during, ...after], 'hibi.sends')).toBe(queued);
    expect(gauge(after, 'hibi.outbox.backlog')).toBe(0);
    expect(gauge(after, 'hibi.outbox.oldest_age')).toBe(0);
  });

  it('counts a check-in submit as a card_submit turn that went well', async () => {
    t.connector.reset();
    await t.post(
      cardSubmit(teamsUserOf(submitter, base()), { verb: 'checkin.submit', slot: 'morning', day: DAY, priority: TYPED, purpose: TYPED, condition: '4' }),
    );
    expect(t.connector.calls.filter((c) => c.kind === 'update')).toHaveLength(1);
    const points = await collect();
    expect(total(points, 'hibi.turns', { kind: 'card_submit', outcome: 'ok' })).toBe(1);
    expect(total(points, 'hibi.turns')).toBe(1);
    const durations = points.filter((p) => p.name === 'hibi.turn.duration');
    expect(durations.map((p) => p.attributes)).toEqual([{ kind: 'card_submit' }]);
    expect((durations[0]!.value as Histogram).sum).toBeGreaterThan(0);
  });

  it('counts a 429 from Teams as throttled, and the retry that follows as sent', async () => {
    t.connector.reset();
    clock.set(jst(`${DAY}T09:16:00`));
    let throttled = false;
    t.connector.intercept((call) => {
      if (call.kind !== 'send' || throttled) return undefined;
      throttled = true;
      return { status: 429, retryAfterSeconds: 0 };
    });
    expect(await t.app.runDueJobs()).toBeGreaterThan(0);
    await t.app.deliverPending({ waitUpToMs: 20_000 });
    const points = await collect();
    expect(t.connector.rejected).toHaveLength(1);
    expect(total(points, 'hibi.sends', { result: 'throttled' })).toBe(1);
    // The reminder goes to those who have not answered: everyone in the unit but the submitter.
    expect(t.connector.sent()).toHaveLength(1 + others.length);
    expect(total(points, 'hibi.sends', { result: 'sent' })).toBe(1 + others.length);
    expect(total(points, 'hibi.job.runs', { job: 'checkin.reminder', outcome: 'ok' })).toBeGreaterThan(0);
    expect(gauge(points, 'hibi.outbox.backlog')).toBe(0);
  });

  it('exports only kinds, outcomes, results and job names: no name, id, unit or typed text', () => {
    expect(everyPoint.length).toBeGreaterThan(0);
    const allowed: Record<string, RegExp> = {
      kind: /^(message|card_submit|invoke|install|other)$/,
      outcome: /^(ok|error|refused|rate_limited|failed)$/,
      result: /^(sent|throttled|failed|not_installed)$/,
      job: /^[a-z]+(\.[a-z]+)*$/,
    };
    const forbidden = [
      TYPED,
      t.tenantId,
      ...org.people.flatMap((p) => [p.name, p.id, p.aadObjectId ?? p.id]),
      ...new Set(org.people.flatMap((p) => (p.unit ? [p.unit] : []))),
    ];
    const problems: string[] = [];
    for (const point of everyPoint) {
      for (const [key, value] of Object.entries(point.attributes)) {
        const text = String(value);
        if (!(allowed[key] ?? /^$/).test(text)) problems.push(`${point.name} ${key}=${text}: not an allowed value`);
        for (const secret of forbidden) if (text.includes(secret)) problems.push(`${point.name} ${key}=${text}: contains ${secret}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
