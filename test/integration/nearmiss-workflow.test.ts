import type { RecordedCall } from '../helpers/connector-double';
import { fixedClock } from '../../src/shared/clock';
import { loadNearMissOrg, textOf, type NearMissOrg } from '../helpers/nearmiss-org';
import { conversationOf } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';

describe('ヒヤリハット workflow: 受付 → 確認済 → 対策決定, who may see and act', () => {
  let t: TestApp;
  let org: NearMissOrg;
  const cardOf: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(new Date('2026-11-25T17:05:00+09:00')) });
    org = await loadNearMissOrg(t);
    await org.report('ST', { what: '封筒の宛名違い', impact: '3', category: 'personal' });
    await t.app.deliverPending();
    for (const id of ['L2', 'M']) {
      const call = t.connector.sent().find((c) => c.conversationId === conversationOf(org.by(id)) && textOf(c).includes('封筒の宛名違い'));
      cardOf[id] = String(call?.responseId);
    }
  });
  afterAll(() => t.stop());
  beforeEach(() => t.connector.reset());

  const updateOf = (id: string): RecordedCall | undefined => t.connector.calls.filter((c) => c.kind === 'update' && c.activityId === cardOf[id]).at(-1);
  const chat = (id: string): string[] =>
    t.connector
      .sent()
      .filter((c) => c.conversationId === conversationOf(org.by(id)))
      .map(textOf);

  it('確認しました: every recipient’s card shows it in place and the reporter is told', async () => {
    await org.submit('L2', { verb: 'nearmiss.ack', id: 'NM-2026-0001' }, cardOf.L2);
    await t.app.deliverPending();
    for (const id of ['L2', 'M']) {
      const card = textOf(updateOf(id) as RecordedCall);
      expect(card).toContain('状態: 確認済');
      expect(card).toContain('確認: 建築 主任さん');
      expect(card).not.toContain('"verb":"nearmiss.ack"');
      expect(card).toContain('"verb":"nearmiss.decide"');
    }
    expect(chat('ST').join()).toContain('あなたのヒヤリハット NM-2026-0001 を 建築 主任さんが確認しました。');
  });

  it('a second 確認しました is told who was first', async () => {
    await org.submit('M', { verb: 'nearmiss.ack', id: 'NM-2026-0001' }, cardOf.M);
    expect(chat('M')).toEqual([expect.stringContaining('すでに 建築 主任さんが確認しています。')]);
  });

  it('対策決定 needs the countermeasure and its owner; a refused form keeps what was typed', async () => {
    await org.submit('M', { verb: 'nearmiss.decide', id: 'NM-2026-0001', countermeasure: '宛名を二人で読み合わせる', owner: '' }, cardOf.M);
    const card = textOf(updateOf('M') as RecordedCall);
    expect(card).toContain('入力してください');
    expect(card).toContain('宛名を二人で読み合わせる');
    expect(card).toContain('状態: 確認済');
    expect(chat('ST')).toEqual([]);
  });

  it('対策決定: every card shows the countermeasure and owner, the reporter is told', async () => {
    await org.submit('M', { verb: 'nearmiss.decide', id: 'NM-2026-0001', countermeasure: '宛名を二人で読み合わせる', owner: '建築グループ 主任' }, cardOf.M);
    await t.app.deliverPending();
    for (const id of ['L2', 'M']) {
      const card = textOf(updateOf(id) as RecordedCall);
      expect(card).toContain('状態: 対策決定');
      expect(card).toContain('建築グループ 主任');
      expect(card).not.toContain('"verb":"nearmiss.decide"');
    }
    expect(chat('ST').join()).toContain('NM-2026-0001 の対策が決まりました: 宛名を二人で読み合わせる（担当: 建築グループ 主任）');
    await org.submit('L2', { verb: 'nearmiss.decide', id: 'NM-2026-0001', countermeasure: '別案', owner: '私' }, cardOf.L2);
    expect(chat('L2')).toEqual([expect.stringContaining('対策はすでに決まっています')]);
  });

  it('someone outside the routing cannot read or act on it, whatever they submit', async () => {
    for (const value of [
      { verb: 'nearmiss.view', id: 'NM-2026-0001' },
      { verb: 'nearmiss.ack', id: 'NM-2026-0001' },
      { verb: 'nearmiss.decide', id: 'NM-2026-0001', countermeasure: 'x', owner: 'y' },
    ]) {
      t.connector.reset();
      await org.submit('OUT', value);
      expect(chat('OUT')).toEqual([expect.stringContaining('この報告は見られません')]);
      expect(t.connector.calls.some((c) => textOf(c).includes('封筒の宛名違い'))).toBe(false);
    }
  });

  it('HR reads every report but acts only where it was routed', async () => {
    await org.submit('HR1', { verb: 'nearmiss.view', id: 'NM-2026-0001' });
    expect(chat('HR1').join()).toContain('封筒の宛名違い');
    expect(chat('HR1').join()).not.toContain('"verb":"nearmiss');
    t.connector.reset();
    await org.submit('HR1', { verb: 'nearmiss.ack', id: 'NM-2026-0001' });
    expect(chat('HR1')).toEqual([expect.stringContaining('この報告は見られません')]);
  });

  it('ヒヤリハット一覧 lists what each may see, newest first', async () => {
    await org.report('L1', { what: '二件目の報告' });
    const listed = async (id: string): Promise<string[]> => {
      t.connector.reset();
      await org.say(id, 'ヒヤリハット一覧');
      return [
        ...(chat(id)
          .join()
          .match(/NM-2026-\d{4}・/g) ?? []),
      ];
    };
    expect(await listed('HR1')).toEqual(['NM-2026-0002・', 'NM-2026-0001・']);
    expect(await listed('ST')).toEqual(['NM-2026-0001・']);
    expect(await listed('L2')).toEqual(['NM-2026-0001・']);
    expect(await listed('S1')).toEqual(['NM-2026-0002・']);
    expect(await listed('OUT')).toEqual([]);
    expect(chat('OUT').join()).toContain('あなたが見られるヒヤリハットはまだありません');
  });
});
