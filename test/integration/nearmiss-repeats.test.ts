import { fixedClock } from '../../src/shared/clock';
import { loadNearMissOrg, type NearMissOrg } from '../helpers/nearmiss-org';
import { startTestApp, type TestApp } from '../helpers/test-app';

const jst = (iso: string): Date => new Date(`${iso}+09:00`);
const FLAG = '同じ誤りを繰り返さない';

describe('ヒヤリハット repeats: the same 業務区分 + 原因 three times in a unit within 90 days', () => {
  const clock = fixedClock(jst('2026-08-03T17:00:00'));
  let t: TestApp;
  let org: NearMissOrg;

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    org = await loadNearMissOrg(t);
  });
  afterAll(() => t.stop());
  beforeEach(() => t.connector.reset());

  async function reportOn(day: string, id: string, fields: Record<string, string> = {}): Promise<string[]> {
    clock.set(jst(`${day}T17:00:00`));
    await org.report(id, { what: `${id} ${day} の報告`, date: day, time: '09:00', category: 'counter', cause: 'check', ...fields });
    await t.app.deliverPending();
    return org.reached(FLAG);
  }

  it('is not flagged before the third: older than 90 days, another cause or another unit do not count', async () => {
    expect(await reportOn('2026-08-03', 'ST')).toEqual([]);
    expect(await reportOn('2026-11-02', 'L1')).toEqual([]);
    expect(await reportOn('2026-11-05', 'AP', { cause: 'knowledge' })).toEqual([]);
    expect(await reportOn('2026-11-06', 'OUT')).toEqual([]);
    expect(await reportOn('2026-11-10', 'S2')).toEqual([]);
    await org.say('HR1', 'ヒヤリハット一覧');
    expect(JSON.stringify(t.connector.sent().at(-1)?.body)).toContain('ヒヤリハット一覧（5件）');
  });

  it('flags the third (an anonymous one counts) to the unit’s 課長 and HR only, naming no reporter', async () => {
    expect(await reportOn('2026-11-20', 'RPTZ9', { anonymous: 'true' })).toEqual(['HR1', 'M']);
    const flag = JSON.stringify(t.connector.sent().find((c) => JSON.stringify(c.body).includes(FLAG))?.body);
    expect(flag).toContain('建設課で「窓口対応・確認不足」のヒヤリハットが直近90日に3件');
    expect(flag).toContain('NM-2026-0002、NM-2026-0005、NM-2026-0006');
    for (const id of ['L1', 'S2', 'RPTZ9']) expect(flag).not.toContain(org.by(id).name);
  });

  it('does not flag the fourth within the same window', async () => {
    expect(await reportOn('2026-11-24', 'ST')).toEqual([]);
  });
});
