import { cardSubmit } from '../helpers/activities';
import { outboxPartition, type OutboxEntity } from '../../src/delivery/outbox.repository';
import { KudosRepository } from '../../src/features/kudos/kudos.repository';
import { NearMissRepository } from '../../src/features/nearmiss/nearmiss.repository';
import { OneOnOneRepository } from '../../src/features/oneonone/oneonone.repository';
import { pairsFromDirectory } from '../../src/features/oneonone/oneonone.service';
import { buildDemoOrg } from '../../src/directory/demo-org';
import type { OrgDirectory, Person } from '../../src/directory/org.schema';
import { translator } from '../../src/i18n/i18n';
import { JOB_RUNS_TABLE } from '../../src/scheduler/job-runs.repository';
import { compositeKey } from '../../src/storage/table-keys';
import { ALL_TABLES, TABLES } from '../../src/storage/table-names';
import type { RecordedCall } from '../helpers/connector-double';
import {
  byPerson,
  closeForBusiness,
  delivered,
  install,
  newTown,
  openForBusiness,
  postTo,
  stopGracefully,
  storedReferences,
  townTables as tables,
  townUser,
  waitUntil,
  type Town,
} from '../helpers/process-town';
import { killLeftovers, startServer, type ServerProcess } from '../helpers/server-process';

/**
 * Two real server processes (src/main.ts) on one storage account through a whole office day of
 * three units of the demo town: morning and evening prompts, reminders, the 課長's summaries, the Monday 1on1 digest,
 * the monthly kudos and near-miss digests, 1on1 reminders and the record prompt. The processes run on
 * a pretend clock (DEV_NOW, real speed from the given time), so the day is played as stages: at each
 * one both servers start together, both schedulers run the jobs due then (each catching up at start,
 * as after a deploy), both workers deliver, and both stop. Between the stages people answer their
 * check-ins through either server.
 *
 * Exactly once is counted twice over: per outbox key (each row sent once, and its one send is the
 * only call Teams got for it) and per recipient at the connector double, by what the message is.
 */

/** Monday, and the first office day of June: the weekly 1on1 digest and the monthly digests fall on it. */
const DAY = '2026-06-01';
const TOMORROW = '2026-06-02';
const TEST_TIMEOUT_MS = 480_000;
const STAGE_TIMEOUT_MS = 120_000;

/** Three units of the demo town and its executives (27 people): every kind of message, in minutes on a busy machine. */
function threeUnits(): OrgDirectory {
  const demo = buildDemoOrg();
  const units = ['まちづくり推進課', '生涯学習課', '農業委員会'];
  return {
    units: demo.units.filter((u) => units.includes(u.name)),
    people: demo.people.filter((p) => (p.unit ? units.includes(p.unit) : p.role === 'executive')),
  };
}

interface Stage {
  at: string;
  /** Job id prefixes that must be done (in jobruns) before the stage ends, with how many of each. */
  jobs: [prefix: string, count: number][];
}

const t = translator('ja');

describe('two server processes on one storage account, a full office day', () => {
  let town: Town;
  let prompted: Person[];
  let units: string[];
  let morningAnswered: Person[];
  let eveningAnswered: Person[];
  const meetings = { today: '', tomorrow: '' };
  const bookedMember = new Map<string, string>();
  const servers: ServerProcess[][] = [];

  async function jobsDone(): Promise<string[]> {
    const out: string[] = [];
    const filter = `PartitionKey eq '${compositeKey(town.tenantId, DAY)}'`;
    for await (const e of tables.table(JOB_RUNS_TABLE).listEntities({ queryOptions: { filter } })) out.push(e.rowKey as string);
    return out;
  }

  async function outboxRows(): Promise<OutboxEntity[]> {
    const rows: OutboxEntity[] = [];
    const filter = `PartitionKey eq '${outboxPartition(town.tenantId, DAY)}'`;
    for await (const e of tables.table(TABLES.outbox).listEntities<OutboxEntity>({ queryOptions: { filter } })) rows.push(e);
    return rows;
  }

  async function progress(): Promise<string> {
    const rows = await outboxRows();
    const statuses = new Map<string, number>();
    for (const row of rows) statuses.set(row.status, (statuses.get(row.status) ?? 0) + 1);
    return `delivered ${delivered(town).length}, outbox ${JSON.stringify(Object.fromEntries(statuses))}, jobs ${(await jobsDone()).join(', ')}`;
  }

  /** Both servers at DEV_NOW = DAY at `stage.at`, until the stage's jobs are done and every row is sent; then both stop. */
  async function play(stage: Stage, meanwhile?: (pair: ServerProcess[]) => Promise<void>): Promise<void> {
    const env = { DEV_NOW: `${DAY}T${stage.at}:00+09:00`, OUTBOX_POLL_MS: '250' };
    const pair = await Promise.all([startServer(`a@${stage.at}`, env), startServer(`b@${stage.at}`, env)]);
    servers.push(pair);
    const settled = async (): Promise<boolean> => {
      const done = await jobsDone();
      if (!stage.jobs.every(([prefix, count]) => done.filter((id) => id.startsWith(prefix)).length >= count)) return false;
      const rows = await outboxRows();
      return rows.every((row) => row.status === 'sent') && delivered(town).length === rows.length;
    };
    await waitUntil(`stage ${stage.at} settled`, settled, STAGE_TIMEOUT_MS, progress);
    if (meanwhile) {
      await meanwhile(pair);
      await waitUntil(`stage ${stage.at} settled after the answers`, settled, STAGE_TIMEOUT_MS, progress);
    }
    await Promise.all(pair.map(stopGracefully));
  }

  /** Check-in answers, alternately through each server: either instance serves any person. */
  async function answer(pair: ServerProcess[], people: readonly Person[], slot: 'morning' | 'evening'): Promise<void> {
    const fields = slot === 'morning' ? { priority: '窓口対応', needHelp: 'false' } : { done: '窓口対応', overtime: '0' };
    for (let i = 0; i < people.length; i += 8) {
      await Promise.all(
        people.slice(i, i + 8).map((person, j) => {
          const server = pair[(i + j) % pair.length] as ServerProcess;
          return postTo(server, cardSubmit(townUser(town, person), { verb: 'checkin.submit', slot, day: DAY, ...fields }, `${slot}-card-${person.id}`));
        }),
      );
    }
  }

  beforeAll(async () => {
    await tables.ensureTables(ALL_TABLES);
    town = await newTown(threeUnits());
    const people = town.directory.people;
    prompted = people.filter((p) => p.active && p.unit && p.role !== 'executive');
    units = [...new Set(prompted.map((p) => p.unit as string))];
    morningAnswered = prompted.filter((_, i) => i % 3 !== 0);
    eveningAnswered = prompted.filter((_, i) => i % 4 !== 0);

    const installer = await startServer('installer', { SCHEDULER_ENABLED: 'false' });
    await install(installer, town, people);
    await stopGracefully(installer);
    expect(await storedReferences(town.tenantId)).toBe(people.length);

    // What earlier days left: every pair known since March (so all are past their 30 days and the
    // digest has work), two 1on1s booked, three kudos and a decided near-miss in May.
    const oneonone = new OneOnOneRepository(tables);
    const pairs = pairsFromDirectory(people);
    await oneonone.syncPairs(town.tenantId, pairs, '2026-03-02');
    const book = async (pair: (typeof pairs)[number], meetingId: string, day: string, time: string): Promise<void> => {
      const member = people.find((p) => p.id === pair.memberId) as Person;
      const now = '2026-05-29T10:00:00.000Z';
      bookedMember.set(meetingId, member.id);
      await oneonone.save({
        tenantId: town.tenantId,
        managerId: pair.managerId,
        memberId: pair.memberId,
        meetingId,
        unit: member.unit ?? '',
        memberRole: member.role,
        day,
        time,
        lengthMinutes: 30,
        status: 'scheduled',
        createdAt: now,
        updatedAt: now,
      });
    };
    meetings.today = 'm20260529100000-00aa01';
    meetings.tomorrow = 'm20260529100000-00aa02';
    await book(pairs[0] as (typeof pairs)[number], meetings.today, DAY, '11:20');
    await book(pairs[1] as (typeof pairs)[number], meetings.tomorrow, TOMORROW, '10:00');
    const kudos = new KudosRepository(tables);
    for (const [i, recipient] of prompted.slice(0, 3).entries()) {
      const sender = prompted[10] as Person;
      await kudos.saveKudos(town.tenantId, {
        recipientId: recipient.id,
        senderId: sender.id,
        day: '2026-05-20',
        submitId: `may-${i}`,
        value: 'team',
        message: '五月のありがとう',
        public: false,
        unit: recipient.unit ?? '',
        createdAt: '2026-05-20T01:00:00.000Z',
      });
    }
    const reporter = prompted[20] as Person;
    await new NearMissRepository(tables).create({
      tenantId: town.tenantId,
      id: 'NM-2026-0001',
      fiscalYear: 2026,
      seq: 1,
      day: '2026-05-20',
      unit: reporter.unit ?? '',
      anonymous: false,
      reporterId: reporter.id,
      occurredAt: '2026-05-20T10:00:00.000+09:00',
      category: 'documents',
      impact: 2,
      what: '五月のヒヤリハット',
      recipientIds: [],
      status: 'decided',
      countermeasure: '読み合わせ',
      countermeasureOwner: '係長',
      createdAt: '2026-05-20T10:00:00.000+09:00',
      updatedAt: '2026-05-20T10:00:00.000+09:00',
    });
    await openForBusiness(town);

    const perUnit = units.length;
    await play(
      {
        at: '09:01',
        jobs: [
          ['checkin.prompt|morning|', perUnit],
          ['oneonone.digest', 1],
          ['kudos.digest|2026-05', 1],
          ['nearmiss.digest|2026-05', 1],
          ['oneonone.agenda|', 1],
        ],
      },
      (pair) => answer(pair, morningAnswered, 'morning'),
    );
    await play({ at: '09:16', jobs: [['checkin.reminder|morning|', perUnit]] });
    await play({
      at: '11:01',
      jobs: [
        ['checkin.summary|morning|', perUnit],
        ['oneonone.soon|', 1],
      ],
    });
    await play(
      {
        at: '17:01',
        jobs: [
          ['checkin.prompt|evening|', perUnit],
          ['oneonone.daybefore|', 1],
          ['oneonone.record|', 1],
        ],
      },
      (pair) => answer(pair, eveningAnswered, 'evening'),
    );
    await play({ at: '17:31', jobs: [['checkin.reminder|evening|', perUnit]] });
    await play({ at: '19:01', jobs: [['checkin.summary|evening|', perUnit]] });
  }, TEST_TIMEOUT_MS);

  afterAll(async () => {
    await killLeftovers();
    if (town) {
      await town.double.stop();
      await closeForBusiness(town);
    }
  });

  it('every outbox row of the day was sent once, and its one send is the only call Teams got for it', async () => {
    const rows = await outboxRows();
    const calls = delivered(town);
    expect(rows.filter((row) => row.status !== 'sent').map((row) => `${row.key} ${row.status}`)).toEqual([]);
    expect(calls).toHaveLength(rows.length);
    const callById = new Map(calls.map((call) => [call.responseId, call]));
    expect(callById.size).toBe(calls.length);
    for (const row of rows) expect(callById.get(row.sentActivityId)?.conversationId).toBe(row.conversationId);
    // A second claim of a row is only ever a retry after a send that visibly failed, never two instances sending it.
    const retried = rows.filter((row) => row.attempts !== 1);
    const retryLines = servers
      .flat()
      .flatMap((server) => server.logs.filter((entry) => entry.msg === 'outbox row will be retried' && entry.tenantId === town.tenantId));
    expect(retried.map((row) => `${row.key} ${row.attempts} ${row.lastError ?? '-'}`)).toEqual(
      retryLines.map((entry) => `${String(entry.key)} ${Number(entry.attempts) + 1} ${String(entry.lastError)}`),
    );
    // Nothing else of this town reached Teams as a send of its own: no chat opened, nothing proactive outside the outbox.
    expect(town.double.calls.filter((call) => call.kind === 'create')).toEqual([]);
  });

  it('per recipient: one prompt and reminder per slot, to exactly who should get them', () => {
    const calls = delivered(town);
    const containing = (needle: string): RecordedCall[] => calls.filter((call) => JSON.stringify(call.body).includes(needle));
    const onceEach = (needle: string, expected: readonly Person[]): void => {
      const counts = byPerson(town, containing(needle));
      expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
      expect([...counts.keys()].sort()).toEqual(expected.map((p) => p.id).sort());
    };
    onceEach(t('checkin.morning.title'), prompted);
    onceEach(t('checkin.evening.title'), prompted);
    onceEach(
      t('checkin.reminder.morning', { until: '11:00' }),
      prompted.filter((p) => !morningAnswered.includes(p)),
    );
    onceEach(
      t('checkin.reminder.evening', { until: '19:00' }),
      prompted.filter((p) => !eveningAnswered.includes(p)),
    );
    const managers = prompted.filter((p) => p.role === 'manager');
    expect(managers).toHaveLength(units.length);
    for (const slot of ['morning', 'evening'] as const) {
      for (const manager of managers) {
        const title = t(`checkin.summary.title.${slot}`, { unit: manager.unit as string });
        expect(byPerson(town, containing(title))).toEqual(new Map([[manager.id, 1]]));
      }
    }
  });

  it('per recipient: the digests, the 1on1 reminders and the record prompt, each once', () => {
    const calls = delivered(town);
    const counts = (needle: string): Map<string, number> =>
      byPerson(
        town,
        calls.filter((call) => JSON.stringify(call.body).includes(needle)),
      );
    const everyone = town.directory.people.filter((p) => p.active);
    const nearmissDigest = counts('ヒヤリハットから学ぶ（2026年5月）');
    expect([...nearmissDigest.keys()].sort()).toEqual(everyone.map((p) => p.id).sort());
    expect([...nearmissDigest.values()].every((n) => n === 1)).toBe(true);
    const kudosDigest = counts(t('kudos.digest.title', { month: '2026年5月' }));
    expect([...kudosDigest.keys()].sort()).toEqual(
      prompted
        .slice(0, 3)
        .map((p) => p.id)
        .sort(),
    );
    expect([...kudosDigest.values()].every((n) => n === 1)).toBe(true);
    // Every manager with a member not booked is past the cadence (pairs known since March); their own managers may get it too.
    const oneononeDigest = counts('1on1 の期限超過');
    const booked = new Set([meetings.today, meetings.tomorrow].map((id) => bookedMember.get(id)));
    const overdueManagers = new Set(
      pairsFromDirectory(town.directory.people)
        .filter((p) => !booked.has(p.memberId))
        .map((p) => p.managerId),
    );
    expect(overdueManagers.size).toBeGreaterThan(3);
    for (const managerId of overdueManagers) expect(oneononeDigest.get(managerId)).toBe(1);
    expect([...oneononeDigest.values()].every((n) => n === 1)).toBe(true);

    const keyed = async (prefix: string): Promise<string[]> => (await outboxRows()).filter((row) => row.key.startsWith(prefix)).map((row) => row.key);
    return Promise.all([
      keyed(`oneonone.agenda|${meetings.tomorrow}`),
      keyed(`oneonone.daybefore|${meetings.tomorrow}`),
      keyed(`oneonone.soon|${meetings.today}`),
      keyed(`oneonone.recordprompt|${meetings.today}`),
      keyed('nearmiss.step|NM-2026-0001|shared'),
    ]).then((found) => expect(found.map((keys) => keys.length)).toEqual([1, 1, 1, 1, 1]));
  });

  it('both instances did the work: each sent some of the day, neither lost a claim mid-send', () => {
    const sentBy = (server: ServerProcess): number => server.logs.filter((entry) => entry.msg === 'outbox row sent' && entry.tenantId === town.tenantId).length;
    const perStage = servers.map((pair) => pair.map(sentBy));
    expect(perStage).toHaveLength(6);
    const total = perStage.flat().reduce((a, b) => a + b, 0);
    expect(total).toBe(delivered(town).length);
    const [a, b] = [0, 1].map((i) => perStage.reduce((sum, pair) => sum + (pair[i] ?? 0), 0));
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    const leaseWarnings = servers.flat().flatMap((server) => server.logs.filter((entry) => String(entry.msg).startsWith('outbox lease expired')));
    expect(leaseWarnings).toEqual([]);
  });
});
