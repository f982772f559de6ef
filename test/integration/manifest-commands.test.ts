import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildDemoOrg, DEMO_STAFF_AAD_OBJECT_ID } from '../../src/directory/demo-org';
import { en } from '../../src/i18n/catalog-en';
import { ja } from '../../src/i18n/catalog-ja';
import { fixedClock } from '../../src/shared/clock';
import { personalMessage, teamInstall, type ActivityOptions } from '../helpers/activities';
import { startTestApp, type TestApp } from '../helpers/test-app';

const MANIFEST_DIR = path.join(__dirname, '..', '..', 'manifest');

interface CommandList {
  scopes: string[];
  commands: { title: string }[];
}

/** Every command title Teams shows, with its scope and language: the Japanese manifest and its English localization. */
function manifestCommands(): { scope: string; locale: 'ja' | 'en'; title: string }[] {
  const manifest = JSON.parse(readFileSync(path.join(MANIFEST_DIR, 'manifest.json'), 'utf8')) as { bots: { commandLists: CommandList[] }[] };
  const english = JSON.parse(readFileSync(path.join(MANIFEST_DIR, 'en-us.json'), 'utf8')) as Record<string, string>;
  return manifest.bots[0]!.commandLists.flatMap((list, l) =>
    list.scopes.flatMap((scope) =>
      list.commands.flatMap((command, c) => [
        { scope, locale: 'ja' as const, title: command.title },
        { scope, locale: 'en' as const, title: english[`bots[0].commandLists[${l}].commands[${c}].title`] ?? '' },
      ]),
    ),
  );
}

/** Each command the Teams app offers reaches its feature in the scope it is offered in: never the help fallback, never the personal-chat pointer. */
describe('the Teams package says only what is true', () => {
  let t: TestApp;
  const TEAM = '19:manifest-team@thread.tacv2';
  const staff = (): ActivityOptions => ({
    serviceUrl: t.connector.serviceUrl,
    tenantId: t.tenantId,
    user: { id: '29:manifest-staff', aadObjectId: DEMO_STAFF_AAD_OBJECT_ID },
  });

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(new Date('2026-11-25T10:00:00+09:00')) });
    await t.app.org.importDirectory(t.tenantId, buildDemoOrg());
    await t.post(teamInstall({ ...staff(), teamId: TEAM }));
  });
  afterAll(() => t.stop());

  const commands = manifestCommands();

  it('lists commands in both scopes and both languages', () => {
    expect(commands.filter((c) => c.title === '')).toEqual([]);
    expect(new Set(commands.map((c) => `${c.scope}/${c.locale}`))).toEqual(new Set(['personal/ja', 'personal/en', 'team/ja', 'team/en']));
  });

  it.each(commands.map((c) => [c.scope, c.locale, c.title] as const))('%s, %s: “%s” reaches its feature', async (scope, locale, title) => {
    t.connector.reset();
    const message = personalMessage({ ...staff(), locale: locale === 'en' ? 'en-US' : 'ja-JP' }, title);
    const activity =
      scope === 'team'
        ? {
            ...personalMessage(staff(), `<at>hibi</at> ${title}`),
            entities: [{ type: 'mention', text: '<at>hibi</at>', mentioned: message.recipient }],
            conversation: { id: TEAM, conversationType: 'channel', tenantId: t.tenantId, isGroup: true },
            channelData: { tenant: { id: t.tenantId }, team: { id: TEAM }, channel: { id: TEAM } },
          }
        : message;
    expect(await t.post(activity)).toBe(200);
    const answers = JSON.stringify(t.connector.sent().map((c) => c.body));
    expect(answers.length).toBeGreaterThan(2);
    for (const catalog of [ja, en]) {
      expect(answers).not.toContain(catalog['help.unknownCommand'].replace('{text}', title));
      expect(answers).not.toContain(JSON.stringify(catalog['limits.personalOnly']).slice(1, -1));
    }
  });
});
