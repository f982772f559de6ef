import { buildDemoOrg } from '../../src/directory/demo-org';
import type { Person } from '../../src/directory/org.schema';
import { fixedClock } from '../../src/shared/clock';
import { cardSubmit, personalInstall, personalMessage, teamInstall } from '../helpers/activities';
import { cardProblems } from '../helpers/card-validation';
import { inputsOf, submitsOf } from '../helpers/oneonone-org';
import { teamsUserOf } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';

const UNIT = '農業委員会';
const jst = (iso: string): Date => new Date(`${iso}+09:00`);
const team = (name: string): string => `19:${name}@thread.tacv2`;
const OTHERS = Array.from({ length: 60 }, (_, i) => `other${String(i + 1).padStart(2, '0')}`);
const OWN = ['own1', 'own2', 'own3'];

type Card = Record<string, unknown>;

/** The values the channel choice offers, in order. */
function channels(card: Card | undefined): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const element = node as Record<string, unknown>;
    if (element.type === 'Input.ChoiceSet' && element.id === 'channel') out.push(...(element.choices as { value: string }[]).map((c) => c.value));
    else Object.values(element).forEach(walk);
  };
  walk(card);
  return out;
}

/**
 * hibi in 63 team channels: the チェックイン設定 form lists 50 at a time, the unit's own team's
 * first, and pages in place keeping what HR typed.
 */
describe('the check-in settings form pages through the channels hibi is in, through /api/messages', () => {
  const clock = fixedClock(jst('2026-11-25T08:40:00'));
  const hr = buildDemoOrg().people.find((p) => p.hr) as Person;
  let t: TestApp;
  const base = () => ({ serviceUrl: t.connector.serviceUrl, tenantId: t.tenantId });
  const value = (name: string): string => `${team(name)}|${team(name)}`;
  const times = { unit: UNIT, morningAt: '09:10', morningCloseAt: '10:30', eveningAt: '17:15', eveningCloseAt: '18:30', reminderAfterMinutes: '0' };
  const updated = (): Card | undefined =>
    (t.connector.calls.filter((c) => c.kind === 'update' && c.activityId === 'settings-card').at(-1)?.body.attachments as { content: Card }[] | undefined)?.[0]
      ?.content;
  const turns = (card: Card | undefined) =>
    submitsOf(card)
      .filter((s) => s.turn === 'page')
      .map((s) => s.page);

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    await t.app.org.importDirectory(t.tenantId, buildDemoOrg());
    await t.post(personalInstall(teamsUserOf(hr, base())));
    const install = (id: string, name: string) => {
      const activity = teamInstall({ ...teamsUserOf(hr, base()), teamId: team(id) });
      return t.post({ ...activity, channelData: { ...activity.channelData, team: { id: team(id), name } } });
    };
    for (const id of OTHERS) await install(id, `別のチーム ${id}`);
    for (const id of OWN) await install(id, UNIT);
  }, 120_000);
  afterAll(() => t.stop());
  beforeEach(() => t.connector.reset());

  it('opens on 50 channels, the unit’s own team first, with 次へ', async () => {
    await t.post(personalMessage(teamsUserOf(hr, base()), `チェックイン設定 ${UNIT}`));
    const form = (t.connector.sent()[0]!.body.attachments as { content: Card }[])[0]!.content;
    expect(channels(form)).toEqual(['none', ...OWN.map(value), ...OTHERS.slice(0, 47).map(value)]);
    expect(JSON.stringify(form)).toContain(`チャネル 1〜50 / 63`);
    expect(turns(form)).toEqual(['2']);
    expect(cardProblems(form)).toEqual([]);
  });

  it('次へ shows the rest in place with the typed times kept; saving there saves the channel chosen on that page', async () => {
    await t.post(
      cardSubmit(teamsUserOf(hr, base()), { verb: 'checkin.settings.save', turn: 'page', page: '2', ...times, channel: value('own2') }, 'settings-card'),
    );
    const second = updated();
    // The choice made on page 1 stays offered, so paging never drops it.
    expect(channels(second)).toEqual(['none', value('own2'), ...OTHERS.slice(47).map(value)]);
    expect(inputsOf(second)).toMatchObject({ morningAt: '09:10', channel: value('own2') });
    expect(turns(second)).toEqual(['1']);
    expect(t.connector.calls.some((c) => String(c.body.text ?? '').includes('設定を保存しました'))).toBe(false);

    await t.post(cardSubmit(teamsUserOf(hr, base()), { verb: 'checkin.settings.save', page: '2', ...times, channel: value('other55') }, 'settings-card'));
    expect(t.connector.calls.filter((c) => c.kind === 'update' && c.activityId === 'settings-card').at(-1)?.body.text).toContain(
      `${UNIT} の設定を保存しました。朝 09:10〜10:30`,
    );

    // Opened again, the form is on the page of the saved channel, with it chosen.
    t.connector.reset();
    await t.post(personalMessage(teamsUserOf(hr, base()), `チェックイン設定 ${UNIT}`));
    const reopened = (t.connector.sent()[0]!.body.attachments as { content: Card }[])[0]!.content;
    expect(channels(reopened)).toEqual(['none', ...OTHERS.slice(47).map(value)]);
    expect(inputsOf(reopened)).toMatchObject({ morningAt: '09:10', channel: value('other55') });
  });

  it('a channel hibi is not in is refused on the page it was chosen from', async () => {
    await t.post(cardSubmit(teamsUserOf(hr, base()), { verb: 'checkin.settings.save', page: '2', ...times, channel: value('gone') }, 'settings-card'));
    const refused = updated();
    expect(JSON.stringify(refused)).toContain('このチャネルには hibi が追加されていません');
    expect(channels(refused)).toEqual(['none', ...OTHERS.slice(47).map(value)]);
  });
});
