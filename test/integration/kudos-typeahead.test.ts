import { randomUUID } from 'node:crypto';
import { parseOrgCsv } from '../../src/directory/org-csv';
import { fixedClock } from '../../src/shared/clock';
import { personalMessage, teamInstall } from '../helpers/activities';
import { teamsUserOf } from '../helpers/people';
import { loadKudosOrg, type InvokeAnswer, type KudosOrg } from '../helpers/kudos-org';
import { inputsOf, lastCard } from '../helpers/oneonone-org';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Two 田中 (one read in hiragana, one in katakana), a 中田 whose reading does not start with たなか,
 * a former 田中 who left, someone written in Latin letters, and 20 people of 住民課 to see the 15-choice cap.
 */
const RESIDENTS = Array.from({ length: 20 }, (_, i) => {
  const n = String(i + 1).padStart(2, '0');
  return `R${n},住民 職員${n},じゅうみん しょくいん${n},住民課,窓口,主事,M,00000000-0000-4000-8000-0000000001${n}`;
});
const CSV = [
  '職員番号,氏名,ふりがな,所属,グループ,役職,上司,AADオブジェクトID',
  'M,田中 一郎,たなか いちろう,建設課,,課長,,00000000-0000-4000-8000-000000000003',
  'T,田中 花子,タナカ ハナコ,建設課,土木,主事,M,00000000-0000-4000-8000-000000000004',
  'N,中田 次郎,なかた じろう,総務課,,主事,M,00000000-0000-4000-8000-000000000005',
  'G,田中 元,たなか はじめ,建設課,,主事,M,00000000-0000-4000-8000-000000000006',
  'E,Emma Brown,,総務課,,主事,M,00000000-0000-4000-8000-000000000007',
  ...RESIDENTS,
  '',
].join('\n');

/** The values of the form's recipient choices, as the card lists them. */
function choicesOf(card: unknown): string[] {
  const body = (card as { body: { id?: string; choices?: { value: string }[] }[] }).body;
  return (body.find((e) => e.id === 'recipients')?.choices ?? []).map((c) => c.value).sort();
}

type SearchBody = { type: string; value: { results: { title: string; value: string }[] } };
const valuesOf = (answer: InvokeAnswer): string[] => (answer.body as SearchBody).value.results.map((r) => r.value);
const FOREIGN_TENANT = '11111111-2222-4333-8444-555555555555';

function directoryOf(csv: string): ReturnType<typeof parseOrgCsv> & { ok: true } {
  const parsed = parseOrgCsv(csv);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed;
}

describe('ありがとう recipients: Teams type-ahead (Data.Query → application/search invoke) over the directory', () => {
  let t: TestApp;
  let org: KudosOrg;

  beforeAll(async () => {
    const tenantId = randomUUID();
    t = await startTestApp({ TEST_TENANT_ID: tenantId, ALLOWED_TENANTS: tenantId }, { clock: fixedClock(new Date('2026-11-25T10:00:00+09:00')) });
    org = await loadKudosOrg(t, CSV);
    // G leaves: imported again without them, the directory keeps G inactive.
    await t.app.org.importDirectory(t.tenantId, directoryOf(CSV.replace(/^G,.*\n/m, '')).directory);
    // Another town with the same people: only the tenant gate keeps its directory out of this one's answers.
    await t.app.org.importDirectory(FOREIGN_TENANT, directoryOf(CSV).directory);
  });
  afterAll(() => t.stop());

  it('the form asks for the dataset the bot answers, and lists only a few itself: the sender’s manager and 課', async () => {
    await org.say('N', 'ありがとう');
    const form = lastCard(t, org.by('N'));
    const recipients = JSON.stringify(form);
    expect(recipients).toContain('"choices.data":{"type":"Data.Query","dataset":"kudos.people"}');
    expect(choicesOf(form)).toEqual(['E', 'M']);
    // Everyone else is a type-ahead away, and the card says how to reach them without it.
    expect(recipients).toContain('一覧にない人は、名前・ふりがな・課を入力すると探せます');
    expect(recipients).toContain('ありがとう @名前 メッセージ');
  });

  it('someone found by type-ahead is thanked as before, and is listed on the sender’s next form', async () => {
    await org.submit(
      'N',
      { verb: 'kudos.send', submitId: 'ta-1', recipients: 'R05', value: 'team', message: '窓口の応援ありがとう', public: 'false' },
      'form-n-1',
    );
    await t.app.deliverPending();
    expect(org.chat('R05').some((c) => c.includes('窓口の応援ありがとう'))).toBe(true);
    await org.say('N', 'ありがとう');
    expect(choicesOf(lastCard(t, org.by('N')))).toEqual(['E', 'M', 'R05']);
  });

  it('opened in a channel, the form does not show whom the sender thanked lately', async () => {
    const sender = teamsUserOf(org.by('N'), { serviceUrl: t.connector.serviceUrl, tenantId: t.tenantId });
    const channel = '19:kudos-channel@thread.tacv2';
    await t.post(teamInstall({ ...sender, teamId: channel }));
    t.connector.reset();
    await t.post({
      ...personalMessage(sender, '<at>hibi</at> ありがとう'),
      entities: [{ type: 'mention', text: '<at>hibi</at>', mentioned: personalMessage(sender, '').recipient }],
      conversation: { id: channel, conversationType: 'channel', tenantId: t.tenantId, isGroup: true },
      channelData: { tenant: { id: t.tenantId }, team: { id: channel }, channel: { id: channel } },
    });
    const posted = t.connector.sent().find((c) => c.conversationId === channel);
    const form = (posted?.body.attachments as { content: object }[] | undefined)?.[0]?.content;
    expect(choicesOf(form)).toEqual(['E', 'M']);
  });

  it('a refused card keeps recipients chosen by type-ahead listed by name; oneself, unknown ids and who left are refused as before', async () => {
    await org.submit('N', { verb: 'kudos.send', submitId: 'ta-2', recipients: 'R07,N', value: 'team', message: '自分にも', public: 'false' }, 'form-n-2');
    const back = lastCard(t, org.by('N'));
    expect(JSON.stringify(back)).toContain('自分自身');
    expect(inputsOf(back)).toMatchObject({ recipients: 'R07,N', message: '自分にも' });
    expect(JSON.stringify(back)).toContain('{"title":"住民 職員07（住民課）","value":"R07"}');

    await org.submit(
      'N',
      { verb: 'kudos.send', submitId: 'ta-3', recipients: 'R08,NOPE', value: 'team', message: '名簿にない人へ', public: 'false' },
      'form-n-3',
    );
    expect(JSON.stringify(lastCard(t, org.by('N')))).toContain('NOPEさんは職員名簿に見つかりませんでした');
    await org.submit('N', { verb: 'kudos.send', submitId: 'ta-4', recipients: 'G', value: 'team', message: '退職した人へ', public: 'false' }, 'form-n-4');
    expect(JSON.stringify(lastCard(t, org.by('N')))).toContain('Gさんは職員名簿に見つかりませんでした');
    await t.app.deliverPending();
    expect(
      org
        .chat('R07')
        .concat(org.chat('R08'), org.chat('G'))
        .filter((c) => /自分にも|名簿にない人へ|退職した人へ/.test(c)),
    ).toEqual([]);
  });

  it('answers with the matching people as a search response: reading in either kana, never oneself, never who left', async () => {
    const answer = await org.search('M', 'たなか');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      type: 'application/vnd.microsoft.search.searchResponse',
      value: { results: [{ title: '田中 花子（建設課）', value: 'T' }] },
    });
    // The same person typed in half-width katakana, and by name with the space left out.
    expect(valuesOf(await org.search('M', 'ﾀﾅｶ'))).toEqual(['T']);
    expect(valuesOf(await org.search('M', '田中花子'))).toEqual(['T']);
    // 中田 matches by name; 田中 一郎 is found by someone else.
    expect(valuesOf(await org.search('T', '田中'))).toEqual(['M']);
    expect(valuesOf(await org.search('T', 'なかた'))).toEqual(['N']);
  });

  it('matches by unit, case- and width-insensitively, and returns at most 15', async () => {
    expect(valuesOf(await org.search('M', '総務課')).sort()).toEqual(['E', 'N']);
    expect(valuesOf(await org.search('M', 'ｅｍｍａ ｂ'))).toEqual(['E']);
    const residents = valuesOf(await org.search('M', '住民課'));
    expect(residents).toHaveLength(15);
    expect(residents.every((id) => id.startsWith('R'))).toBe(true);
    expect(valuesOf(await org.search('M', 'ＺＺＺ'))).toEqual([]);
  });

  it('an unknown dataset gets an empty list, not an error', async () => {
    const answer = await org.search('M', 'たなか', { dataset: 'no.such.dataset' });
    expect(answer.status).toBe(200);
    expect(valuesOf(answer)).toEqual([]);
  });

  it('a query from a tenant that is not allowed gets no answer at all (400, an invoke nobody handles)', async () => {
    const answer = await org.search('M', 'たなか', { tenantId: FOREIGN_TENANT });
    expect(answer.status).toBe(400);
    expect(answer.body).toBeUndefined();
  });
});
