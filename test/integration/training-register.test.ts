import { TrainingRepository } from '../../src/features/training/training.repository';
import { trainingIdFor } from '../../src/features/training/training.service';
import { fixedClock } from '../../src/shared/clock';
import { personalMessage } from '../helpers/activities';
import { cardProblems } from '../helpers/card-validation';
import type { RecordedCall } from '../helpers/connector-double';
import { conversationOf, loadTestOrg, teamsUserOf, type TestOrg } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';

const CSV = `職員番号,氏名,所属,グループ,役職,上司,AADオブジェクトID,人事
M1,住民 課長,住民課,,課長,,00000000-0000-4000-8000-000000000201,
A1,住民 一子,住民課,,主事,M1,00000000-0000-4000-8000-000000000202,
A2,住民 二郎,住民課,,主任,M1,00000000-0000-4000-8000-000000000203,
M2,建設 課長,建設課,,課長,,00000000-0000-4000-8000-000000000204,
B1,建設 一郎,建設課,,主事,M2,00000000-0000-4000-8000-000000000205,
HR1,人事 主査,総務課,,主査,,00000000-0000-4000-8000-000000000206,○
`;

describe('研修 登録: HR registers one training from a card', () => {
  const clock = fixedClock(new Date('2026-11-16T10:00:00+09:00'));
  let t: TestApp;
  let org: TestOrg;
  const textOf = (call: RecordedCall | undefined): string => JSON.stringify(call?.body ?? {});
  const lastTo = (id: string): string => textOf(t.connector.calls.filter((c) => c.conversationId === conversationOf(org.by(id))).at(-1));
  const say = async (id: string, text: string): Promise<string> => {
    t.connector.reset();
    await t.post(personalMessage(teamsUserOf(org.by(id), org.base), text));
    return lastTo(id);
  };
  const submit = async (fields: Record<string, string>): Promise<string> => {
    t.connector.reset();
    await org.submit('HR1', {
      verb: 'training.register',
      name: '接遇研修',
      start: '2026-11-24',
      end: '2026-11-25',
      kind: 'offjt',
      units: '住民課',
      roles: '',
      required: 'true',
      ...fields,
    });
    return lastTo('HR1');
  };

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    org = await loadTestOrg(t, CSV);
  });
  afterAll(() => t.stop());

  it('opens the form for HR, with the 課 of the directory to choose from', async () => {
    const form = await say('HR1', '研修 登録');
    for (const unit of ['住民課', '建設課', '総務課']) expect(form).toContain(`"value":"${unit}"`);
    const card = (JSON.parse(form) as { attachments: { content: object }[] }).attachments[0]!.content;
    expect(cardProblems(card)).toEqual([]);
  });

  it('refuses anyone else', async () => {
    expect(await say('M1', '研修 登録')).toContain('研修の登録は総務課 人事担当の方ができます');
  });

  it('sends a refused form back as typed, with each problem next to its field, and registers nothing', async () => {
    const missing = await submit({ name: '', kind: '', units: '住民課,建設課' });
    expect(missing).toContain('入力内容を確認してください。まだ登録されていません。');
    expect(missing).toContain('入力してください');
    expect(missing).toContain('選んでください');
    expect(missing).toContain('"value":"住民課,建設課"');
    expect(await submit({ end: '2026-11-20' })).toContain('終了日が開始日より前です');
    const unknown = await submit({ units: '住民課,消防課' });
    expect(unknown).toContain('名簿にない課です: 消防課');
    expect(unknown).toContain('"value":"住民課,消防課"');
    expect(await new TrainingRepository(t.app.tables).list(t.tenantId)).toEqual([]);
  });

  it('registers it once however often the card is sent, and invites the people it is for', async () => {
    const done = await submit({});
    const id = trainingIdFor('接遇研修', '2026-11-24');
    expect(done).toContain(`研修を登録しました（${id}）`);
    expect(done).toContain('対象の 3名に案内を送ります');
    expect(await submit({})).toContain(`この研修はすでに同じ内容で登録されています（${id}）`);
    const saved = await new TrainingRepository(t.app.tables).list(t.tenantId);
    expect(saved.map((s) => [s.id, s.units, s.required, s.revision])).toEqual([[id, ['住民課'], true, 1]]);

    t.connector.reset();
    await t.app.runDueJobs();
    await t.app.deliverPending();
    const invited = org.people
      .filter((p) => t.connector.sent().some((c) => c.conversationId === conversationOf(p) && textOf(c).includes('研修のご案内')))
      .map((p) => p.id);
    expect(invited.sort()).toEqual(['A1', 'A2', 'M1']);
  });
});
