import { ONEONONE_TABLES } from '../../src/features/oneonone/oneonone.repository';
import { fixedClock } from '../../src/shared/clock';
import { cardProblems } from '../helpers/card-validation';
import { inputsOf, lastCard, loadOneOnOneOrg, submitsOf, type OneOnOneOrg } from '../helpers/oneonone-org';
import { startTestApp, type TestApp } from '../helpers/test-app';

const jst = (iso: string): Date => new Date(`${iso}+09:00`);

describe('1on1 cadence through /api/messages: per pair by the manager, per unit by HR', () => {
  // Friday 2026-11-20: every pair starts its clock today, so the default due day is 12-20.
  const clock = fixedClock(jst('2026-11-20T10:00:00'));
  let t: TestApp;
  let org: OneOnOneOrg;

  const card = (id: string): string => JSON.stringify(lastCard(t, org.by(id)) ?? null);
  const chat = (id: string): string => org.chat(id).join('\n');

  async function rows(table: string): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    for await (const e of t.app.tables.table(table).listEntities({ queryOptions: { filter: `PartitionKey eq '${t.tenantId}'` } })) out.push(e);
    return out;
  }

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    org = await loadOneOnOneOrg(t);
  });
  afterAll(() => t.stop());
  beforeEach(() => t.connector.reset());

  it('`1on1 設定` gives a manager a form for their own members only; the overview has a per-member 頻度 action', async () => {
    await org.say('M', '1on1 設定');
    const form = lastCard(t, org.by('M'));
    const text = JSON.stringify(form);
    expect(text).toContain('土木 主幹（いま: 毎月）');
    expect(text).toContain('建築 主事');
    expect(text).not.toContain('土木 主査');
    expect(text).toContain('四半期ごと');
    expect(cardProblems(form!)).toEqual([]);
    await org.say('M', '1on1');
    expect(submitsOf(lastCard(t, org.by('M')))).toEqual(expect.arrayContaining([expect.objectContaining({ verb: 'oneonone.cadence.open', memberId: 'X' })]));
    await org.submit('M', { verb: 'oneonone.cadence.open', memberId: 'X', meetingId: '' });
    expect(inputsOf(lastCard(t, org.by('M')))).toMatchObject({ target: 'X', cadence: 'unit' });
  });

  it('a manager cannot set another manager’s pair: refused on the card, typed values kept, nothing stored', async () => {
    await org.submit('M', { verb: 'oneonone.cadence.pair', target: 'S', cadence: '14' }, 'cadence-form');
    const update = t.connector.calls.find((c) => c.kind === 'update' && c.activityId === 'cadence-form');
    const form = (update?.body.attachments as { content: object }[])[0]!.content;
    expect(JSON.stringify(form)).toContain('あなたのメンバーではありません');
    expect(inputsOf(form)).toMatchObject({ target: 'S', cadence: '14' });
    expect((await rows(ONEONONE_TABLES.pairs)).some((p) => Number(p.ownCadenceDays) > 0)).toBe(false);
  });

  it('a cadence outside 2 weeks / month / 2 months / quarter is refused on the card with what was sent', async () => {
    await org.submit('M', { verb: 'oneonone.cadence.pair', target: 'X', cadence: '45' }, 'cadence-form-2');
    const update = t.connector.calls.find((c) => c.kind === 'update' && c.activityId === 'cadence-form-2');
    const form = (update?.body.attachments as { content: object }[])[0]!.content;
    expect(JSON.stringify(form)).toContain('2週間ごと・毎月・2か月ごと・四半期ごとから選んでください');
    expect(inputsOf(form)).toMatchObject({ target: 'X', cadence: '45' });
    expect((await rows(ONEONONE_TABLES.pairs)).some((p) => Number(p.ownCadenceDays) > 0)).toBe(false);
  });

  it('the manager sets a pair to every 2 weeks: its due day and status follow', async () => {
    await org.submit('M', { verb: 'oneonone.cadence.pair', target: 'X', cadence: '14' });
    expect(chat('M')).toContain('2週間ごと');
    expect(chat('M')).toContain('2026年12月4日(金)');
    await org.say('M', '1on1');
    expect(card('M')).toMatch(/建築 主事.*期限: 2026年12月4日\(金\).*土木 主幹.*期限: 2026年12月20日\(日\)/);
  });

  it('a non-HR person cannot set a unit’s cadence, by command or by a crafted submit', async () => {
    await org.say('M', '1on1 設定 建設課');
    expect(chat('M')).toContain('人事担当のみ');
    await org.submit('C', { verb: 'oneonone.cadence.unit', target: '建設課', cadence: '90' });
    expect(chat('C')).toContain('人事担当のみ');
    expect(await rows(ONEONONE_TABLES.unitCadences)).toEqual([]);
  });

  it('HR sets 建設課 to every 2 months: pairs without their own setting follow, the pair set by its manager keeps it', async () => {
    await org.say('H', '1on1 設定 建設課');
    const form = lastCard(t, org.by('H'));
    expect(inputsOf(form)).toMatchObject({ target: '建設課', cadence: '30' });
    expect(cardProblems(form!)).toEqual([]);
    await org.submit('H', { verb: 'oneonone.cadence.unit', target: '建設課', cadence: '60' });
    expect(chat('H')).toContain('建設課の1on1 は2か月ごと');
    await org.say('M', '1on1');
    expect(card('M')).toMatch(/建築 主事.*期限: 2026年12月4日\(金\).*土木 主幹.*期限: 2027年1月19日\(火\)/);
    await org.say('C', '1on1');
    expect(card('C')).toContain('期限: 2027年1月19日(火)');
    expect(card('C')).not.toContain('2026年12月20日');
  });

  it('an unknown unit is refused on HR’s card with the typed values', async () => {
    await org.submit('H', { verb: 'oneonone.cadence.unit', target: '存在しない課', cadence: '14' }, 'unit-form');
    const update = t.connector.calls.find((c) => c.kind === 'update' && c.activityId === 'unit-form');
    const form = (update?.body.attachments as { content: object }[])[0]!.content;
    expect(JSON.stringify(form)).toContain('この課は名簿にありません');
    expect(inputsOf(form)).toMatchObject({ target: '存在しない課', cadence: '14' });
  });

  it('once past the new cadence the pair is 期限超過; back to the unit’s cadence it is 期限内 again', async () => {
    clock.set(jst('2026-12-07T10:00:00'));
    await org.say('M', '1on1');
    expect(card('M')).toMatch(/建築 主事.*3日超過.*期限超過.*土木 主幹.*期限内/);
    await org.submit('M', { verb: 'oneonone.cadence.pair', target: 'X', cadence: 'unit' });
    await org.say('M', '1on1');
    expect(card('M')).not.toContain('期限超過');
    expect(card('M')).toContain('期限: 2027年1月19日(火)');
  });
});
