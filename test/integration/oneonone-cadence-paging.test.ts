import { ONEONONE_TABLES } from '../../src/features/oneonone/oneonone.repository';
import { fixedClock } from '../../src/shared/clock';
import { personalMessage } from '../helpers/activities';
import { cardProblems } from '../helpers/card-validation';
import { inputsOf, lastCard, submitsOf } from '../helpers/oneonone-org';
import { loadTestOrg, teamsUserOf, type TestOrg } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';

const jst = (iso: string): Date => new Date(`${iso}+09:00`);
const MEMBERS = Array.from({ length: 120 }, (_, i) => `P${String(i + 1).padStart(3, '0')}`);
const aad = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const CSV = [
  '職員番号,氏名,所属,グループ,役職,上司,AADオブジェクトID,人事',
  `BOSS,大課 課長,大課,,課長,,${aad(1)},`,
  ...MEMBERS.map((id, i) => `${id},大課 ${id},大課,,主事,BOSS,${aad(i + 2)},`),
].join('\n');

type Card = Record<string, unknown>;

/** The values the member choice offers, in order. */
function targets(card: Card | undefined): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const element = node as Record<string, unknown>;
    if (element.type === 'Input.ChoiceSet' && element.id === 'target') out.push(...(element.choices as { value: string }[]).map((c) => c.value));
    else Object.values(element).forEach(walk);
  };
  walk(card);
  return out;
}

describe('the 1on1 cadence form of a 課長 with 120 members pages 50 at a time, through /api/messages', () => {
  const clock = fixedClock(jst('2026-11-20T10:00:00'));
  let t: TestApp;
  let org: TestOrg;

  const updated = (activityId: string): Card | undefined =>
    (t.connector.calls.filter((c) => c.kind === 'update' && c.activityId === activityId).at(-1)?.body.attachments as { content: Card }[] | undefined)?.[0]
      ?.content;
  const turn = async (page: unknown): Promise<Card | undefined> => {
    await org.submit('BOSS', { verb: 'oneonone.cadence.page', page }, 'cadence-card');
    return updated('cadence-card');
  };
  const pages = (card: Card | undefined) =>
    submitsOf(card)
      .filter((s) => s.verb === 'oneonone.cadence.page')
      .map((s) => s.page);

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    org = await loadTestOrg(t, CSV);
  }, 120_000);
  afterAll(() => t.stop());
  beforeEach(() => t.connector.reset());

  it('opens on the first 50 members, says where it is, and offers 次へ only', async () => {
    await t.post(personalMessage(teamsUserOf(org.by('BOSS'), org.base), '1on1 設定'));
    const form = lastCard(t, org.by('BOSS'));
    expect(targets(form)).toEqual(MEMBERS.slice(0, 50));
    expect(JSON.stringify(form)).toContain('1〜50人目 / 120人');
    expect(pages(form)).toEqual(['2']);
    expect(submitsOf(form)).toContainEqual({ verb: 'oneonone.cadence.pair', page: '1' });
    expect(cardProblems(form!)).toEqual([]);
  });

  it('次へ shows the next members in place; the last page has 前へ only; a page past the end is the last', async () => {
    const second = await turn('2');
    expect(targets(second)).toEqual(MEMBERS.slice(50, 100));
    expect(JSON.stringify(second)).toContain('51〜100人目 / 120人');
    expect(pages(second)).toEqual(['1', '3']);
    const third = await turn('3');
    expect(targets(third)).toEqual(MEMBERS.slice(100));
    expect(pages(third)).toEqual(['2']);
    expect(targets(await turn('99'))).toEqual(MEMBERS.slice(100));
    expect(targets(await turn('abc'))).toEqual(MEMBERS.slice(0, 50));
  });

  it('saving on page 2 changes only the pair chosen there; a refused save stays on its page with what was chosen', async () => {
    await org.submit('BOSS', { verb: 'oneonone.cadence.pair', page: '2', target: 'P060', cadence: '45' }, 'cadence-card');
    const refused = updated('cadence-card');
    expect(targets(refused)).toEqual(MEMBERS.slice(50, 100));
    expect(inputsOf(refused)).toMatchObject({ target: 'P060', cadence: '45' });

    await org.submit('BOSS', { verb: 'oneonone.cadence.pair', page: '2', target: 'P060', cadence: '14' }, 'cadence-card');
    const own: Record<string, unknown>[] = [];
    for await (const e of t.app.tables.table(ONEONONE_TABLES.pairs).listEntities({ queryOptions: { filter: `PartitionKey eq '${t.tenantId}'` } })) {
      if (Number(e.ownCadenceDays) > 0) own.push(e);
    }
    expect(own.map((p) => [p.memberId, p.ownCadenceDays])).toEqual([['P060', 14]]);

    // Opened for one member from the overview, the form is on that member's page with them chosen.
    await org.submit('BOSS', { verb: 'oneonone.cadence.open', memberId: 'P060' });
    const reopened = lastCard(t, org.by('BOSS'));
    expect(targets(reopened)).toEqual(MEMBERS.slice(50, 100));
    expect(inputsOf(reopened)).toMatchObject({ target: 'P060', cadence: '14' });
  });
});
