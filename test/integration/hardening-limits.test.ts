import { ja } from '../../src/i18n/catalog-ja';
import { en } from '../../src/i18n/catalog-en';
import { fixedClock } from '../../src/shared/clock';
import { cardSubmit, personalMessage, teamInstall } from '../helpers/activities';
import { changedRows, snapshotTenant } from '../helpers/hardening';
import { ONEONONE_CSV } from '../helpers/oneonone-org';
import { conversationOf, loadTestOrg, teamsUserOf, type TestOrg } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';

const TODAY = '2026-11-25';
const clock = () => fixedClock(new Date(`${TODAY}T09:00:00+09:00`));

async function postRaw(
  t: TestApp,
  body: string | ReadableStream<Uint8Array>,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<number> {
  const response = await fetch(`${t.url}/api/messages`, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
  await response.text();
  return response.status;
}

/** A body that arrives in chunks with no declared length, as a client streaming it would send it. */
function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + 16 * 1024));
      offset += 16 * 1024;
    },
  });
}

describe('request body size cap', () => {
  let t: TestApp;
  let org: TestOrg;
  beforeAll(async () => {
    t = await startTestApp({}, { clock: clock() });
    org = await loadTestOrg(t, ONEONONE_CSV);
    t.connector.reset();
  });
  afterAll(() => t.stop());

  const message = (text: string) => JSON.stringify(personalMessage(teamsUserOf(org.by('X'), org.base), text));

  it('answers a body over 256 KB with 413 (declared or streamed) and runs no turn; one under it is served', async () => {
    const before = await snapshotTenant(t.app.tables, t.tenantId);
    expect(await postRaw(t, message('x'.repeat(300 * 1024)))).toBe(413);
    expect(await postRaw(t, chunked(message('x'.repeat(300 * 1024))))).toBe(413);
    expect(t.connector.calls).toEqual([]);
    expect(changedRows(before, await snapshotTenant(t.app.tables, t.tenantId))).toEqual([]);

    expect(await postRaw(t, message(`ヘルプ ${'x'.repeat(200 * 1024)}`))).toBe(200);
    expect(t.connector.sent()).toHaveLength(1);
  });

  it('takes only uncompressed JSON: another content type or an encoding is a 415', async () => {
    expect(await postRaw(t, message('ヘルプ'), { 'content-type': 'text/plain' })).toBe(415);
    expect(await postRaw(t, message('ヘルプ'), { 'content-type': 'application/json', 'content-encoding': 'gzip' })).toBe(415);
    expect(await postRaw(t, message('ヘルプ'), { 'content-type': 'application/json; charset=utf-8' })).toBe(200);
  });

  it('follows MAX_BODY_BYTES', async () => {
    const small = await startTestApp({ MAX_BODY_BYTES: String(32 * 1024), TEST_TENANT_ID: t.tenantId }, { clock: clock() });
    try {
      expect(await postRaw(small, message('x'.repeat(40 * 1024)))).toBe(413);
      expect(await postRaw(small, message('x'.repeat(20 * 1024)))).toBe(200);
    } finally {
      await small.stop();
    }
  });
});

describe('per-person rate limit on messages', () => {
  let t: TestApp;
  let org: TestOrg;
  beforeAll(async () => {
    t = await startTestApp({ TURN_RATE_LIMIT_PER_MINUTE: '3' }, { clock: clock() });
    org = await loadTestOrg(t, ONEONONE_CSV);
  });
  afterAll(() => t.stop());
  beforeEach(() => t.connector.reset());

  const say = (id: string, text: string) => t.post(personalMessage(teamsUserOf(org.by(id), org.base), text));
  const chat = (id: string) => t.connector.sent().filter((c) => c.conversationId === conversationOf(org.by(id)));

  it('serves the limit, answers the next message once and politely in Japanese, then does nothing for the rest of the minute', async () => {
    for (let i = 0; i < 3; i++) expect(await say('X', 'ヘルプ')).toBe(200);
    expect(chat('X')).toHaveLength(3);

    expect(await say('X', 'ヘルプ')).toBe(200);
    expect(chat('X')).toHaveLength(4);
    expect(chat('X')[3]?.body.text).toBe(ja['limits.rate'].replace('{limit}', '3'));

    const before = await snapshotTenant(t.app.tables, t.tenantId);
    expect(await say('X', 'ヘルプ')).toBe(200);
    await org.submit('X', { verb: 'checkin.submit', slot: 'morning', day: TODAY, priority: '窓口の案内', condition: '3' });
    expect(await say('X', '休み')).toBe(200);
    expect(chat('X')).toHaveLength(4);
    expect(t.connector.calls.filter((c) => c.conversationId === conversationOf(org.by('X')) && c.kind === 'update')).toEqual([]);
    expect(changedRows(before, await snapshotTenant(t.app.tables, t.tenantId))).toEqual([]);
  });

  it('counts each person apart, and tells an English speaker in English', async () => {
    expect(await say('C', 'ヘルプ')).toBe(200);
    expect(chat('C')).toHaveLength(1);

    await say('S', 'language English');
    await say('S', 'help');
    await say('S', 'help');
    await say('S', 'help');
    expect(chat('S').map((c) => c.body.text ?? 'card')).toEqual([en['language.changed'], 'card', 'card', en['limits.rate'].replace('{limit}', '3')]);
  });
});

describe('conversation scope', () => {
  let t: TestApp;
  let org: TestOrg;
  beforeAll(async () => {
    t = await startTestApp({}, { clock: clock() });
    org = await loadTestOrg(t, ONEONONE_CSV);
    await t.post(teamInstall({ ...org.base, user: teamsUserOf(org.by('M'), org.base).user, teamId: '19:team-kensetsu' }));
    t.connector.reset();
  });
  afterAll(() => t.stop());

  /** The 課長 M @mentioning hibi in the team's channel, as Teams sends it: the bot's mention as an entity, stripped before the command is read. */
  const inChannel = (text: string) => {
    const manager = teamsUserOf(org.by('M'), org.base);
    return {
      ...personalMessage(manager, `<at>hibi</at> ${text}`),
      entities: [{ type: 'mention', text: '<at>hibi</at>', mentioned: personalMessage(manager, '').recipient }],
      conversation: { id: '19:team-kensetsu', conversationType: 'channel', tenantId: t.tenantId, isGroup: true },
      channelData: { tenant: { id: t.tenantId }, team: { id: '19:team-kensetsu' }, channel: { id: '19:team-kensetsu' } },
    };
  };

  it('answers a command @mentioned in a team channel with a pointer to the personal chat, and shows nothing of the person there', async () => {
    const before = await snapshotTenant(t.app.tables, t.tenantId);
    expect(await t.post(inChannel('1on1'))).toBe(200);
    expect(t.connector.sent().map((c) => [c.conversationId, c.body.text])).toEqual([['19:team-kensetsu', ja['limits.personalOnly']]]);
    expect(changedRows(before, await snapshotTenant(t.app.tables, t.tenantId))).toEqual([]);
  });

  it('answers in a channel the commands that show nothing private (ヘルプ), and only those', async () => {
    t.connector.reset();
    expect(await t.post(inChannel('ヘルプ'))).toBe(200);
    expect(await t.post(inChannel('ヒヤリハット一覧'))).toBe(200);
    const answers = t.connector.sent().map((c) => ({
      conversationId: c.conversationId,
      card: (c.body.attachments as { contentType: string }[] | undefined)?.[0]?.contentType,
      text: c.body.text,
    }));
    expect(answers).toEqual([
      { conversationId: '19:team-kensetsu', card: 'application/vnd.microsoft.card.adaptive', text: undefined },
      { conversationId: '19:team-kensetsu', card: undefined, text: ja['limits.personalOnly'] },
    ]);
  });

  it('treats a channel message without conversationType (older clients) as the channel it is', async () => {
    t.connector.reset();
    const legacy = inChannel('1on1');
    const { conversationType: _dropped, ...conversation } = legacy.conversation;
    expect(await t.post({ ...legacy, conversation })).toBe(200);
    const { isGroup: _group, ...withoutGroup } = conversation;
    expect(await t.post({ ...legacy, conversation: withoutGroup })).toBe(200);
    const groupChat = { ...legacy, conversation: { ...conversation, id: '19:group-chat@thread.v2' }, channelData: { tenant: { id: t.tenantId } } };
    expect(await t.post(groupChat)).toBe(200);
    expect(t.connector.sent().map((c) => [c.conversationId, c.body.text])).toEqual([
      ['19:team-kensetsu', ja['limits.personalOnly']],
      ['19:team-kensetsu', ja['limits.personalOnly']],
      ['19:group-chat@thread.v2', ja['limits.personalOnly']],
    ]);
  });

  it('tells someone the directory does not know nothing about the directory in a channel', async () => {
    t.connector.reset();
    const stranger = { ...inChannel('1on1'), from: { id: '29:stranger', name: 'Stranger', aadObjectId: '00000000-0000-4000-8000-0000000000ff' } };
    expect(await t.post(stranger)).toBe(200);
    expect(t.connector.sent().map((c) => [c.conversationId, c.body.text])).toEqual([['19:team-kensetsu', ja['limits.personalOnly']]]);
  });

  it('does not quote mention markup back in the help fallback', async () => {
    t.connector.reset();
    await t.post(personalMessage(teamsUserOf(org.by('X'), org.base), '<at>土木 主幹</at> さんに連絡'));
    const answer = JSON.stringify(t.connector.sent()[0]?.body);
    expect(answer).toContain('さんに連絡');
    expect(answer).not.toContain('<at>');
  });

  it('answers an invoke it has no handler for with 400, not 501', async () => {
    const invoke = { ...cardSubmit(teamsUserOf(org.by('X'), org.base), {}), type: 'invoke', name: 'composeExtension/query', value: { commandId: 'x' } };
    expect(await t.post(invoke)).toBe(400);
  });
});
