import { buildDemoOrg, DEMO_STAFF_AAD_OBJECT_ID, DEMO_STAFF_ID } from '../../src/directory/demo-org';
import { CHECKIN_TABLES } from '../../src/features/checkin/checkin.repository';
import { cardSubmit, personalMessage, type ActivityOptions } from '../helpers/activities';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { cardProblems } from '../helpers/card-validation';
import { fixedClock } from '../../src/shared/clock';

type Card = Record<string, unknown>;

function cardOf(body: Record<string, unknown>): Card | undefined {
  const attachments = body.attachments as { content: Card }[] | undefined;
  return attachments?.[0]?.content;
}

function inputs(card: Card | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const element of (card?.body as { id?: string; value?: string }[] | undefined) ?? []) if (element.id) out[element.id] = element.value;
  return out;
}

async function rows(t: TestApp, day: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const table = t.app.tables.table(CHECKIN_TABLES.checkins);
  for await (const e of table.listEntities({ queryOptions: { filter: `PartitionKey eq '${t.tenantId}|住民課|${day}'` } })) out.push(e);
  return out;
}

describe('check-ins through /api/messages', () => {
  let t: TestApp;
  let staff: ActivityOptions;
  const day = '2026-11-25';

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(new Date('2026-11-25T09:00:00+09:00')) });
    await t.app.org.importDirectory(t.tenantId, buildDemoOrg());
    staff = { serviceUrl: t.connector.serviceUrl, tenantId: t.tenantId, user: { id: '29:staff', aadObjectId: DEMO_STAFF_AAD_OBJECT_ID } };
  });
  afterAll(() => t.stop());
  beforeEach(() => t.connector.reset());

  it('チェックイン opens today’s morning card in Japanese, valid for the parser', async () => {
    await t.post(personalMessage(staff, 'チェックイン'));
    const card = cardOf(t.connector.sent()[0]!.body);
    expect(JSON.stringify(card)).toContain('今日の最優先');
    expect(JSON.stringify(card)).toContain('2026年11月25日(水)');
    expect(cardProblems(card!)).toEqual([]);
  });

  it('records a card only for an office day that has begun and is at most a week old, saying why otherwise', async () => {
    const answers = { verb: 'checkin.submit', slot: 'morning', priority: '窓口の混雑対応', purpose: '', trouble: '', needHelp: 'false', condition: '4' };
    const refused = [
      ['2020-01-06', '2020年1月6日(月)のカードは古いため、記録しません（7日前までのカードに答えられます）。今日の分は「チェックイン」と送ってください。'],
      ['2026-11-17', '2026年11月17日(火)のカードは古いため、記録しません（7日前までのカードに答えられます）。今日の分は「チェックイン」と送ってください。'],
      ['2099-12-31', '2099年12月31日(木)はまだ来ていないため、チェックインは記録しません。'],
      ['2026-11-22', '2026年11月22日(日)は勤務日ではないため、チェックインは記録しません。'],
      ['2026-11-23', '2026年11月23日(月)は勤務日ではないため、チェックインは記録しません。'],
    ];
    for (const [refusedDay] of refused) await t.post(cardSubmit(staff, { ...answers, day: refusedDay }, `card-${refusedDay}`));
    expect(t.connector.sent().map((c) => c.body.text)).toEqual(refused.map(([, text]) => text));
    for (const [refusedDay] of refused) expect(await rows(t, refusedDay!)).toEqual([]);

    t.connector.reset();
    await t.post(cardSubmit(staff, { ...answers, day: '2026-11-18' }, 'card-late'));
    expect(await rows(t, '2026-11-18')).toHaveLength(1);
  });

  it('チェックイン on a day that is not an office day says so instead of opening a card', async () => {
    const weekend = await startTestApp({}, { clock: fixedClock(new Date('2026-11-28T09:00:00+09:00')) });
    try {
      await weekend.app.org.importDirectory(weekend.tenantId, buildDemoOrg());
      await weekend.post(personalMessage({ ...staff, serviceUrl: weekend.connector.serviceUrl, tenantId: weekend.tenantId }, 'チェックイン'));
      expect(weekend.connector.sent().map((c) => c.body.text)).toEqual(['2026年11月28日(土)は勤務日ではないため、チェックインは記録しません。']);
    } finally {
      await weekend.stop();
    }
  });

  it('stores one record per person, day and slot: a second submit updates it in place', async () => {
    const answers = {
      verb: 'checkin.submit',
      slot: 'morning',
      day,
      priority: '窓口の混雑対応',
      purpose: '待ち時間を減らす',
      trouble: '',
      needHelp: 'false',
      condition: '4',
    };
    await t.post(cardSubmit(staff, answers, 'card-1'));
    const update = t.connector.calls.find((c) => c.kind === 'update');
    expect(update?.activityId).toBe('card-1');
    expect(JSON.stringify(cardOf(update!.body))).toContain('朝のチェックインを記録しました');

    await t.post(cardSubmit(staff, { ...answers, priority: '窓口の混雑対応（午後）' }, 'card-1'));
    const stored = await rows(t, day);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.personId).toBe(DEMO_STAFF_ID);
    expect(JSON.parse(stored[0]!.answers as string)).toMatchObject({ priority: '窓口の混雑対応（午後）', condition: 4, needHelp: false });
  });

  it('brings the card back with typed values kept and the problem named next to the field', async () => {
    const long = 'あ'.repeat(201);
    await t.post(
      cardSubmit(
        staff,
        { verb: 'checkin.submit', slot: 'evening', day, done: '', carryOver: long, overtime: '700', satisfaction: '9', learning: '学び' },
        'card-2',
      ),
    );
    const update = t.connector.calls.find((c) => c.kind === 'update' && c.activityId === 'card-2');
    const card = cardOf(update!.body);
    const text = JSON.stringify(card);
    expect(text).toContain('入力してください');
    expect(text).toContain('1〜5 から選んでください');
    expect(text).toContain('0〜600 の分数');
    expect(inputs(card)).toMatchObject({ carryOver: long, overtime: '700', learning: '学び' });
    expect(cardProblems(card!)).toEqual([]);
    expect((await rows(t, day)).filter((r) => r.slot === 'evening')).toHaveLength(0);
  });

  it('stores a late answer for the day of the card, and a leaving time as overtime minutes', async () => {
    await t.post(cardSubmit(staff, { verb: 'checkin.submit', slot: 'evening', day: '2026-11-24', done: '予算資料', overtime: '18:45' }));
    const stored = await rows(t, '2026-11-24');
    expect(stored).toHaveLength(1);
    expect(JSON.parse(stored[0]!.answers as string)).toMatchObject({ done: '予算資料', overtime: 90 });
  });

  it('registers leave for a day and refuses a past one', async () => {
    await t.post(personalMessage(staff, '休暇 11/26'));
    expect(t.connector.sent()[0]!.body.text).toContain('2026年11月26日(木) を休暇として登録しました');
    const leave = await t.app.tables.table(CHECKIN_TABLES.leaves).getEntity(`${t.tenantId}|2026-11-26`, DEMO_STAFF_ID);
    expect(leave.unit).toBe('住民課');
    await t.post(personalMessage(staff, 'leave 2026-11-01'));
    expect(t.connector.sent()[1]!.body.text).toContain('過去の日付');
  });
});
