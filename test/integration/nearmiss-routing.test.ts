import { fixedClock } from '../../src/shared/clock';
import { loadNearMissOrg, type NearMissOrg } from '../helpers/nearmiss-org';
import { startTestApp, type TestApp } from '../helpers/test-app';

describe('a near-miss reaches the role the escalation table names, plus the special rules', () => {
  let t: TestApp;
  let org: NearMissOrg;

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(new Date('2026-11-25T17:05:00+09:00')) });
    org = await loadNearMissOrg(t);
  });
  afterAll(() => t.stop());
  beforeEach(() => t.connector.reset());

  let n = 0;
  async function reachedBy(reporterId: string, fields: Record<string, string> = {}): Promise<string[]> {
    const what = `${reporterId}のヒヤリ${++n}`;
    await org.report(reporterId, { what, ...fields });
    await t.app.deliverPending();
    return org.reached(what);
  }

  it.each([
    ['課長 → 町長・副町長', 'M', ['DEP', 'MAY']],
    ['主幹 → 課長', 'C', ['M']],
    ['主査 → 主幹 (own line)', 'S1', ['C']],
    ['主査 → 課長 (own line has no 主幹)', 'S2', ['M']],
    ['主任 → 主査', 'L1', ['S1']],
    ['主事 → 主任', 'ST', ['L2']],
    ['会計年度任用職員 → 主査', 'AP', ['S1']],
  ])('%s (窓口対応, 影響度 1)', async (_label, reporterId, expected) => {
    expect(await reachedBy(reporterId)).toEqual(expected);
  });

  it('個人情報 always reaches a 主任/主査: a 主幹’s report also goes to the 主査 of their group', async () => {
    expect(await reachedBy('C', { category: 'personal' })).toEqual(['M', 'S1']);
  });

  it('金銭・会計 always reaches a 主任/主査: a 課長’s report also goes to a 主査 of the unit', async () => {
    expect(await reachedBy('M', { category: 'money' })).toEqual(['DEP', 'MAY', 'S1']);
  });

  it('個人情報 adds nobody when a 主任 already receives it', async () => {
    expect(await reachedBy('ST', { category: 'personal' })).toEqual(['L2']);
  });

  it('影響度 3 also reaches the 課長', async () => {
    expect(await reachedBy('ST', { impact: '3' })).toEqual(['L2', 'M']);
  });

  it('影響度 4 also reaches the 課長, HR and the executives', async () => {
    expect(await reachedBy('ST', { impact: '4' })).toEqual(['DEP', 'HR1', 'L2', 'M', 'MAY']);
  });

  it('an anonymous report reaches the unit’s 課長 only', async () => {
    expect(await reachedBy('ST', { anonymous: 'true', impact: '2', category: 'personal' })).toEqual(['M']);
  });

  it('an anonymous report of 影響度 4 reaches the 課長 and HR, not the executives', async () => {
    expect(await reachedBy('ST', { anonymous: 'true', impact: '4' })).toEqual(['HR1', 'M']);
  });

  it('the recipient’s card names a named reporter and has the 確認しました button', async () => {
    await reachedBy('L1', { what: '名前入りの報告' });
    const card = JSON.stringify(t.connector.sent().find((c) => JSON.stringify(c.body).includes('名前入りの報告'))?.body);
    expect(card).toContain('土木 主任さん');
    expect(card).toContain('"verb":"nearmiss.ack"');
  });
});
