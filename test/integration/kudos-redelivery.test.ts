import { KUDOS_TABLES } from '../../src/features/kudos/kudos.repository';
import { TABLES } from '../../src/storage/table-names';
import { fixedClock } from '../../src/shared/clock';
import { loadKudosOrg, type KudosOrg } from '../helpers/kudos-org';
import { conversationOf } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';

describe('ありがとう typed: Teams delivering the same activity again sends one kudos', () => {
  let t: TestApp;
  let org: KudosOrg;

  async function rows(table: string, where: (row: Record<string, unknown>) => boolean): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    const filter = `PartitionKey ge '${t.tenantId}' and PartitionKey lt '${t.tenantId}~'`;
    for await (const e of t.app.tables.table(table).listEntities<Record<string, unknown>>({ queryOptions: { filter } })) if (where(e)) out.push(e);
    return out;
  }
  const received = (text: string): Promise<Record<string, unknown>[]> => rows(KUDOS_TABLES.kudos, (r) => r.message === text);
  const notices = (to: string, text: string): string[] => org.chat(to).filter((c) => c.includes(text));

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(new Date('2026-11-25T10:00:00+09:00')) });
    org = await loadKudosOrg(t);
  });
  afterAll(() => t.stop());
  beforeEach(() => t.connector.reset());

  it('the same activity id twice: one kudos row, one card to the recipient, one note to their manager', async () => {
    const message = '窓口の応援、抱え込まないでくれて助かりました';
    const activity = org.message('L', `ありがとう <at>建築 主事</at> ${message}`, [org.mention('X')]);
    expect(await t.post(activity)).toBe(200);
    expect(await t.post(activity)).toBe(200);
    await t.app.deliverPending();

    expect(await received(message)).toHaveLength(1);
    expect(await rows(TABLES.outbox, (r) => String(r.key).startsWith('kudos.received|') && String(r.key).endsWith('|X'))).toHaveLength(1);
    expect(notices('X', message)).toHaveLength(1);
    expect(notices('M', '土木 主任さんが建築 主事さんに「抱え込まない」でありがとうを送りました')).toHaveLength(1);
    // The sender hears it was sent, then that the second delivery sent nothing.
    expect(
      t.connector
        .sent()
        .filter((c) => c.conversationId === conversationOf(org.by('L')))
        .map((c) => c.body.text),
    ).toEqual(['建築 主事さんに「抱え込まない」でありがとうを送りました。', 'このありがとうは送信済みです（二重には送られません）。']);
  });

  it('the same words in a new activity are a new kudos: the key is the activity, not the text', async () => {
    const message = '資料の読み合わせ、誠実にありがとう';
    await org.say('L', `ありがとう <at>建築 主事</at> ${message}`, [org.mention('X')]);
    await org.say('L', `ありがとう <at>建築 主事</at> ${message}`, [org.mention('X')]);
    await t.app.deliverPending();

    expect(await received(message)).toHaveLength(2);
    expect(notices('X', message)).toHaveLength(2);
  });
});
