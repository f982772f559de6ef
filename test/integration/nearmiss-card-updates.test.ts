import type { RecordedCall } from '../helpers/connector-double';
import { ja } from '../../src/i18n/catalog-ja';
import { fixedClock } from '../../src/shared/clock';
import { loadNearMissOrg, textOf, type NearMissOrg } from '../helpers/nearmiss-org';
import { conversationOf } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * A step on a report rewrites every recipient's card inside the turn of whoever took it. Teams gives
 * up on a turn after seconds and sends the activity again, so a card Teams will not take now gets one
 * quick retry in the turn at most; the outbox delivers it afterwards.
 */
describe('ヒヤリハット: card updates Teams refuses during a turn', () => {
  let t: TestApp;
  let org: NearMissOrg;

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(new Date('2026-11-25T17:05:00+09:00')) });
    org = await loadNearMissOrg(t);
  });
  afterAll(() => t.stop());
  beforeEach(() => t.connector.reset());

  /** Files a report that reaches L2 and M; the activity ids of their cards. */
  async function fileReport(what: string): Promise<{ id: string; L2: string; M: string }> {
    await org.report('ST', { what, impact: '3', category: 'personal' });
    const id = /NM-2026-\d{4}/.exec(textOf(t.connector.calls.at(-1) as RecordedCall))?.[0];
    await t.app.deliverPending();
    const cardOf = (person: string) =>
      String(t.connector.sent().find((c) => c.conversationId === conversationOf(org.by(person)) && textOf(c).includes(what))?.responseId);
    expect(id).toBeDefined();
    return { id: id!, L2: cardOf('L2'), M: cardOf('M') };
  }
  const tries = (activityId: string): RecordedCall[] =>
    [...t.connector.rejected, ...t.connector.calls].filter((c) => c.kind === 'update' && c.activityId === activityId);
  const delivered = (activityId: string): RecordedCall[] => t.connector.calls.filter((c) => c.kind === 'update' && c.activityId === activityId);

  it('throttled with a long Retry-After: one attempt in the turn, then the outbox delivers it', async () => {
    const cards = await fileReport('窓口で書類を取り違えかけた');
    t.connector.reset();
    t.connector.intercept((call) => (call.kind === 'update' && call.activityId === cards.M ? { status: 429, retryAfterSeconds: 30 } : undefined));

    await org.submit('L2', { verb: 'nearmiss.ack', id: cards.id }, cards.L2);

    expect(tries(cards.M)).toHaveLength(1);
    expect(delivered(cards.M)).toEqual([]);
    expect(textOf(delivered(cards.L2).at(-1) as RecordedCall)).toContain('状態: 確認済');

    t.connector.intercept(undefined);
    await t.app.deliverPending();
    expect(delivered(cards.M)).toHaveLength(1);
    expect(textOf(delivered(cards.M)[0]!)).toContain('状態: 確認済');
    expect(t.connector.calls.filter((c) => c.kind === 'update' && c.activityId === cards.M && c.conversationId === conversationOf(org.by('M')))).toHaveLength(
      1,
    );
  });

  it('a gateway error: one quick retry in the turn; a later step joins the queued update, and the card ends at the latest', async () => {
    const cards = await fileReport('封筒の宛名を書き違えた');
    t.connector.reset();
    t.connector.intercept((call) => (call.kind === 'update' && call.activityId === cards.M ? { status: 502 } : undefined));

    await org.submit('L2', { verb: 'nearmiss.ack', id: cards.id }, cards.L2);
    const inTurn = tries(cards.M).length;
    expect(inTurn).toBeGreaterThanOrEqual(1);
    expect(inTurn).toBeLessThanOrEqual(2);

    // The acknowledged card still waits in the outbox: the decision must not go out first and be overwritten by it.
    await org.submit('L2', { verb: 'nearmiss.decide', id: cards.id, countermeasure: '宛名を読み合わせる', owner: '建築 主任' }, cards.L2);
    expect(tries(cards.M)).toHaveLength(inTurn);
    expect(textOf(delivered(cards.L2).at(-1) as RecordedCall)).toContain('状態: 対策決定');

    t.connector.intercept(undefined);
    await t.app.deliverPending();
    expect(delivered(cards.M)).toHaveLength(1);
    expect(textOf(delivered(cards.M)[0]!)).toContain('状態: 対策決定');
    expect(await t.app.deliverPending()).toMatchObject({ sent: 0 });
    expect(delivered(cards.M)).toHaveLength(1);
  });

  it("the acting person's own card refused: one quick retry in the turn, then they are told, well before Teams would send the activity again", async () => {
    const cards = await fileReport('申請書を別の方に渡しかけた');
    t.connector.reset();
    t.connector.intercept((call) => (call.kind === 'update' && call.activityId === cards.L2 ? { status: 429, retryAfterSeconds: 30 } : undefined));

    await org.submit('L2', { verb: 'nearmiss.ack', id: cards.id }, cards.L2);

    expect(tries(cards.L2).length).toBeLessThanOrEqual(2);
    expect(delivered(cards.L2)).toEqual([]);
    expect(
      t.connector.calls
        .filter((c) => c.conversationId === conversationOf(org.by('L2')) && c.kind !== 'update')
        .map(textOf)
        .join(),
    ).toContain(ja['error.generic']);
  });
});
