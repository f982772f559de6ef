import { odata } from '@azure/data-tables';
import { exportPerson } from '../../src/features/data/export';
import { purgePerson } from '../../src/features/data/purge';
import { trainingTables } from '../../src/features/training/training.records';
import { TRAINING_TABLES, TrainingRepository } from '../../src/features/training/training.repository';
import { TrainingKpiSource } from '../../src/features/training/training.kpi';
import type { TrainingPlan } from '../../src/features/training/training.schema';
import { completionRate } from '../../src/features/training/training.service';
import { parsePeriod } from '../../src/features/kpi/kpi.period';
import { fixedClock } from '../../src/shared/clock';
import { compositeKey } from '../../src/storage/table-keys';
import { personalMessage } from '../helpers/activities';
import { cardProblems } from '../helpers/card-validation';
import type { RecordedCall } from '../helpers/connector-double';
import { conversationOf, loadTestOrg, teamsUserOf, type TestOrg } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';

const jst = (iso: string): Date => new Date(`${iso}+09:00`);

/** 住民課 and 建設課 are expected at the training; 総務課 (HR) and the 町長 are not. */
const CSV = `職員番号,氏名,所属,グループ,役職,上司,AADオブジェクトID,人事
MAY,町長 一郎,,,町長,,00000000-0000-4000-8000-000000000101,
M1,住民 課長,住民課,,課長,MAY,00000000-0000-4000-8000-000000000102,
A1,住民 一子,住民課,,主事,M1,00000000-0000-4000-8000-000000000103,
A2,住民 二郎,住民課,,主任,M1,00000000-0000-4000-8000-000000000104,
A3,住民 三子,住民課,,会計年度任用職員,M1,00000000-0000-4000-8000-000000000105,
M2,建設 課長,建設課,,課長,MAY,00000000-0000-4000-8000-000000000106,
B1,建設 一郎,建設課,,主事,M2,00000000-0000-4000-8000-000000000107,
B2,建設 二子,建設課,,主査,M2,00000000-0000-4000-8000-000000000108,
HR1,人事 主査,総務課,,主査,MAY,00000000-0000-4000-8000-000000000109,○
`;

const REQUIRED: TrainingPlan = {
  id: 'TR-SETSUGU',
  name: '接遇研修（窓口対応）',
  startDay: '2026-11-24',
  endDay: '2026-11-25',
  kind: 'offjt',
  units: ['住民課', '建設課'],
  roles: [],
  required: true,
};
const OPTIONAL: TrainingPlan = {
  id: 'TR-EXCEL',
  name: 'Excel 中級（外部）',
  startDay: '2026-11-24',
  endDay: '2026-11-24',
  kind: 'external',
  units: [],
  roles: [],
  required: false,
};
const EXPECTED = ['A1', 'A2', 'A3', 'B1', 'B2', 'M1', 'M2'];

describe('研修受講率: invitation, reminder, attendance card, 未受講 list', () => {
  const clock = fixedClock(jst('2026-11-16T10:00:00'));
  let t: TestApp;
  let org: TestOrg;
  let trainings: TrainingRepository;

  const textOf = (call: RecordedCall): string => JSON.stringify(call.body);
  /** Who got a new message containing `needle`, with how many each. */
  const reached = (needle: string): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const p of org.people) {
      const count = t.connector.sent().filter((c) => c.conversationId === conversationOf(p) && textOf(c).includes(needle)).length;
      if (count > 0) out[p.id] = count;
    }
    return out;
  };
  /** The last thing the person's chat got: a new message, a reply or a card updated in place. */
  const lastTo = (id: string): string => textOf(t.connector.calls.filter((c) => c.conversationId === conversationOf(org.by(id))).at(-1) as RecordedCall);
  const say = async (id: string, text: string): Promise<string> => {
    t.connector.reset();
    await t.post(personalMessage(teamsUserOf(org.by(id), org.base), text));
    return lastTo(id);
  };
  const submit = async (id: string, value: Record<string, unknown>): Promise<string> => {
    t.connector.reset();
    await org.submit(id, { verb: 'training.attendance', trainingId: REQUIRED.id, ...value });
    return lastTo(id);
  };
  const tick = async (): Promise<void> => {
    await t.app.runDueJobs();
    await t.app.deliverPending();
  };
  const rowsOf = async (personId: string): Promise<Record<string, unknown>[]> => {
    const rows: Record<string, unknown>[] = [];
    const filter = odata`PartitionKey eq ${compositeKey(t.tenantId, REQUIRED.id)} and RowKey eq ${personId}`;
    for await (const row of t.app.tables.table(TRAINING_TABLES.attendance).listEntities<Record<string, unknown>>({ queryOptions: { filter } })) rows.push(row);
    return rows;
  };

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    org = await loadTestOrg(t, CSV);
    trainings = new TrainingRepository(t.app.tables);
    await trainings.save(t.tenantId, REQUIRED, clock.now());
    await trainings.save(t.tenantId, OPTIONAL, clock.now());
    t.connector.reset();
  });
  afterAll(() => t.stop());

  it('invites everyone the required training is for, once, with its name, dates and kind', async () => {
    await tick();
    await tick();
    expect(reached('研修のご案内')).toEqual(Object.fromEntries(EXPECTED.map((id) => [id, 1])));
    const card = t.connector.sent().find((c) => c.conversationId === conversationOf(org.by('A1')) && textOf(c).includes('研修のご案内')) as RecordedCall;
    for (const expected of ['接遇研修（窓口対応）', '2026年11月24日(火) 〜 2026年11月25日(水)', 'Off-JT（職場外研修）', '必須'])
      expect(textOf(card)).toContain(expected);
    expect(cardProblems((card.body as { attachments: { content: object }[] }).attachments[0]!.content)).toEqual([]);
    expect(reached('Excel 中級')).toEqual({});
  });

  it('announces a changed training again, marked as changed, once', async () => {
    t.connector.reset();
    await trainings.save(t.tenantId, { ...REQUIRED, name: '接遇研修（窓口・電話対応）' }, clock.now());
    await trainings.save(t.tenantId, REQUIRED, clock.now());
    await tick();
    await tick();
    expect(reached('内容が変わりました')).toEqual(Object.fromEntries(EXPECTED.map((id) => [id, 1])));
    expect(lastTo('B1')).toContain('接遇研修（窓口対応）');
  });

  it('reminds three office days before the first day (the Monday is a holiday), once even when the scheduler ticks twice', async () => {
    t.connector.reset();
    clock.set(jst('2026-11-17T09:30:00'));
    await tick();
    expect(reached('研修が近づいています')).toEqual({});
    expect(reached('研修のご案内')).toEqual({});
    clock.set(jst('2026-11-18T09:05:00'));
    await tick();
    await tick();
    expect(reached('研修が近づいています')).toEqual(Object.fromEntries(EXPECTED.map((id) => [id, 1])));
    expect(lastTo('A1')).toContain('2026年11月24日(火)から次の研修があります');
  });

  it('refuses an answer before the training is over, and a card for someone it is not for', async () => {
    clock.set(jst('2026-11-24T12:00:00'));
    expect(await submit('A1', { answer: 'attended' })).toContain('この研修はまだ終わっていません');
    clock.set(jst('2026-11-26T08:00:00'));
    expect(await submit('HR1', { answer: 'attended' })).toContain('あなたはこの研修の受講対象ではありません');
    expect(await submit('A1', { answer: 'attended', trainingId: 'no such/id' })).toContain('このカードは読み取れませんでした');
    expect(await rowsOf('A1')).toEqual([]);
  });

  it('asks for attendance on the first office day after it, except those HR already recorded', async () => {
    await trainings.recordHr(t.tenantId, REQUIRED.id, 'B2', 'attended', clock.now());
    t.connector.reset();
    clock.set(jst('2026-11-26T09:05:00'));
    await tick();
    await tick();
    expect(reached('研修の受講を記録してください')).toEqual(Object.fromEntries(EXPECTED.filter((id) => id !== 'B2').map((id) => [id, 1])));
    expect(lastTo('A1')).toContain('"verb":"training.attendance"');
  });

  it('stores an answer once however often the same card is sent, and says so', async () => {
    const first = await submit('A1', { answer: 'attended', note: '' });
    expect(first).toContain('記録しました: 受講した');
    const again = await submit('A1', { answer: 'attended', note: '' });
    expect(again).toContain('すでに同じ内容で記録されています: 受講した');
    const rows = await rowsOf('A1');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ self: 'attended' });
  });

  it('sends a bad answer back with what was chosen and typed, and stores nothing', async () => {
    const noChoice = await submit('A2', { note: '窓口当番' });
    expect(noChoice).toContain('「受講した」か「受講できなかった」を選んでください');
    expect(noChoice).toContain('窓口当番');
    const tooLong = await submit('A2', { answer: 'missed', note: 'あ'.repeat(201) });
    expect(tooLong).toContain('200文字以内で入力してください（いま 201文字）');
    expect(tooLong).toContain('"value":"missed"');
    expect(await rowsOf('A2')).toEqual([]);
    expect(await submit('A2', { answer: 'missed', note: '窓口当番' })).toContain('記録しました: 受講できなかった');
  });

  it('lets a person change their answer later', async () => {
    await submit('A3', { answer: 'missed' });
    expect(await submit('A3', { answer: 'attended' })).toContain('記録しました: 受講した');
    expect(await rowsOf('A3')).toEqual([expect.objectContaining({ self: 'attended' })]);
    await submit('M2', { answer: 'attended' });
  });

  it('keeps HR’s record over the person’s own answer, and tells them', async () => {
    await trainings.recordHr(t.tenantId, REQUIRED.id, 'A1', 'missed', clock.now());
    const shown = await submit('A1', { answer: 'attended', note: '後半だけ' });
    expect(shown).toContain('人事の受講記録では「受講できなかった」です。人事の記録が優先されます');
    expect(await rowsOf('A1')).toEqual([expect.objectContaining({ self: 'attended', hr: 'missed' })]);
  });

  it('lists for HR everyone not yet attended, by 課', async () => {
    const list = await say('HR1', '研修 未受講');
    expect(list).toContain('研修 未受講 — 全体（令和8年度 下期）');
    expect(list).toContain('必須研修 1件のうち、まだ受講が確認できない職員です（4名）');
    expect(list).toContain('住民課（3名）');
    expect(list).toContain('建設課（1名）');
    for (const name of ['住民 課長', '住民 一子', '住民 二郎', '建設 一郎']) expect(list).toContain(name);
    for (const name of ['住民 三子', '建設 課長', '建設 二子', '町長 一郎']) expect(list).not.toContain(name);
    expect(list).not.toContain('Excel');
    expect(await say('HR1', 'training pending 住民課')).not.toContain('建設 一郎');
  });

  it('lists for a 課長 their own 課 only, and refuses everyone else', async () => {
    const own = await say('M1', '研修 未受講');
    expect(own).toContain('研修 未受講 — 住民課');
    expect(own).toContain('住民 二郎');
    expect(own).not.toContain('建設 一郎');
    expect(await say('M1', '研修 未受講 建設課')).toContain('見られるのはご自身の課（住民課）の一覧だけです');
    expect(await say('A1', '研修 未受講')).toContain('研修の未受講一覧は課長と総務課 人事担当の方が見られます');
  });

  it('gives the KPI layer each person’s required and attended trainings of the period', async () => {
    const source = new TrainingKpiSource({ trainings, org: t.app.org, clock });
    const tallies = await source.training(t.tenantId, parsePeriod('FY2026H2'));
    expect([...tallies].sort((a, b) => a.personId.localeCompare(b.personId))).toEqual([
      { personId: 'A1', required: 1, completed: 0 },
      { personId: 'A2', required: 1, completed: 0 },
      { personId: 'A3', required: 1, completed: 1 },
      { personId: 'B1', required: 1, completed: 0 },
      { personId: 'B2', required: 1, completed: 1 },
      { personId: 'M1', required: 1, completed: 0 },
      { personId: 'M2', required: 1, completed: 1 },
    ]);
    expect(completionRate(tallies)).toBeCloseTo(3 / 7);
    expect(await source.training(t.tenantId, parsePeriod('FY2026H1'))).toEqual([]);
  });

  it('shows a person their attendance rows in their disclosure, and deletes them with a purge', async () => {
    const scope = { tables: t.app.tables, tenantId: t.tenantId, personId: 'A1' };
    const disclosed = await exportPerson(scope, { exportedAt: clock.now(), hibiVersion: 'test' }, trainingTables);
    expect(disclosed.sections[0]?.rows).toEqual([expect.objectContaining({ trainingId: REQUIRED.id, self: 'attended', selfNote: '後半だけ', hr: 'missed' })]);
    expect(await purgePerson(scope, true, trainingTables)).toEqual([expect.objectContaining({ deleted: 1, anonymised: 0 })]);
    expect(await rowsOf('A1')).toEqual([]);
    expect(await rowsOf('A3')).toHaveLength(1);
  });
});
