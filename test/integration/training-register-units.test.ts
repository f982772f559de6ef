import { TrainingRepository } from '../../src/features/training/training.repository';
import { trainingIdFor } from '../../src/features/training/training.service';
import { fixedClock } from '../../src/shared/clock';
import { personalMessage } from '../helpers/activities';
import type { RecordedCall } from '../helpers/connector-double';
import { conversationOf, loadTestOrg, teamsUserOf, type TestOrg } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';

const BOUSAI = '総務課,防災係';

const CSV = `職員番号,氏名,所属,グループ,役職,上司,AADオブジェクトID,人事
M1,住民 課長,住民課,,課長,,00000000-0000-4000-8000-000000000301,
A1,住民 一子,住民課,,主事,M1,00000000-0000-4000-8000-000000000302,
M2,防災 係長,"${BOUSAI}",,課長,,00000000-0000-4000-8000-000000000303,
B1,防災 一郎,"${BOUSAI}",,主事,M2,00000000-0000-4000-8000-000000000304,
B2,防災 二郎,"${BOUSAI}",,主任,M2,00000000-0000-4000-8000-000000000305,
HR1,人事 主査,総務課,,主査,,00000000-0000-4000-8000-000000000306,○
`;

type Choice = { title: string; value: string };
type Element = { id?: string; type?: string; value?: string; choices?: Choice[]; items?: Element[]; columns?: Element[] };

/** The register card's ChoiceSet with this id, as Teams renders it. */
function choiceSet(call: RecordedCall | undefined, id: string): Element {
  const card = (call?.body.attachments as { content: { body: Element[] } }[] | undefined)?.[0]?.content;
  const found = (card?.body ?? []).find((e) => e.id === id);
  if (!found) throw new Error(`no ${id} on the card`);
  return found;
}

/**
 * A multi-select Input.ChoiceSet submits the values chosen joined by commas: a 課 whose name holds a
 * comma must still come back as that one 課, not as two that do not exist.
 */
describe('研修 登録 with a 課 whose name holds a comma', () => {
  const clock = fixedClock(new Date('2026-11-16T10:00:00+09:00'));
  let t: TestApp;
  let org: TestOrg;
  const lastToHr = (): RecordedCall | undefined => t.connector.calls.filter((c) => c.conversationId === conversationOf(org.by('HR1'))).at(-1);
  const submit = async (fields: Record<string, string>): Promise<RecordedCall | undefined> => {
    t.connector.reset();
    await org.submit('HR1', {
      verb: 'training.register',
      name: '防災研修',
      start: '2026-11-24',
      end: '',
      kind: 'offjt',
      roles: '',
      required: 'true',
      ...fields,
    });
    return lastToHr();
  };

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    org = await loadTestOrg(t, CSV);
  });
  afterAll(() => t.stop());

  it('offers the 課 as one choice whose value holds no comma, chosen with another, and registers both', async () => {
    t.connector.reset();
    await t.post(personalMessage(teamsUserOf(org.by('HR1'), org.base), '研修 登録'));
    const units = choiceSet(lastToHr(), 'units').choices ?? [];
    expect(units.map((c) => c.title)).toEqual(['住民課', '総務課', BOUSAI]);
    for (const choice of units) expect(choice.value).not.toContain(',');
    // Teams joins the values of what HR ticked with commas.
    const chosen = [BOUSAI, '住民課'].map((name) => units.find((c) => c.title === name)?.value).join(',');

    const refused = await submit({ name: '', units: chosen });
    expect(JSON.stringify(refused?.body)).toContain('入力してください');
    expect(choiceSet(refused, 'units').value).toBe(chosen);
    expect(await new TrainingRepository(t.app.tables).list(t.tenantId)).toEqual([]);

    const done = await submit({ units: chosen });
    expect(JSON.stringify(done?.body)).toContain('対象の 5名に案内を送ります');
    const [saved] = await new TrainingRepository(t.app.tables).list(t.tenantId);
    expect(saved).toMatchObject({ id: trainingIdFor('防災研修', '2026-11-24'), units: [BOUSAI, '住民課'] });

    t.connector.reset();
    await t.app.runDueJobs();
    await t.app.deliverPending();
    const invitations = t.connector.sent().filter((c) => JSON.stringify(c.body).includes('研修のご案内'));
    const invited = org.people.filter((p) => invitations.some((c) => c.conversationId === conversationOf(p))).map((p) => p.id);
    expect(invited.sort()).toEqual(['A1', 'B1', 'B2', 'M1', 'M2']);
  });
});
