import { randomUUID } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { ConversationReferencesRepository, type StoredReference } from '../../src/delivery/conversation-references.repository';
import { TableClientFactory } from '../../src/storage/table-client-factory';
import { ALL_TABLES } from '../../src/storage/table-names';
import { testConnectionString } from '../helpers/test-app';

/** The conversations table's clients, each request counted, to see which finds go to storage. */
class CountingTables extends TableClientFactory {
  requests = 0;
  /** The factory hands out one client per table: its pipeline gets the counter once. */
  private readonly counted = new Set<TableClient>();

  override table(name: string): TableClient {
    const client = super.table(name);
    if (this.counted.has(client)) return client;
    this.counted.add(client);
    client.pipeline.addPolicy({
      name: 'count-requests',
      sendRequest: (request, next) => {
        this.requests += 1;
        return next(request);
      },
    });
    return client;
  }
}

const referenceOf = (personId: string, conversationId = `a:${personId}`): StoredReference => ({
  channelId: 'msteams',
  serviceUrl: 'https://smba.example.test/apac/',
  conversationId,
  conversationType: 'personal',
  botId: 'bot-id',
  userId: `29:${personId}`,
});

const person = (personId: string) => ({ kind: 'person', personId }) as const;

/**
 * What a fan-out's sends read: the sending instance's references come from its memo, seeded with one
 * query per tenant, so ten thousand sends read no reference row; what another instance wrote since is
 * read once, and what this one removed is gone at once.
 */
describe('conversation references: the memo a send reads', () => {
  const tenantId = randomUUID();
  const counting = new CountingTables(testConnectionString());
  const sending = new ConversationReferencesRepository(counting);
  const other = new ConversationReferencesRepository(new TableClientFactory(testConnectionString()));

  beforeAll(async () => {
    await counting.ensureTables(ALL_TABLES);
    for (const personId of ['A001', 'A002', 'A003']) await other.save(tenantId, person(personId), referenceOf(personId));
  });

  it('seeds once, then finds every stored reference without a request', async () => {
    expect(await sending.find(tenantId, person('A001'))).toEqual(referenceOf('A001'));
    const afterSeed = counting.requests;
    expect(afterSeed).toBeGreaterThan(0);
    expect(await sending.find(tenantId, person('A002'))).toEqual(referenceOf('A002'));
    expect(await sending.find(tenantId, person('A003'))).toEqual(referenceOf('A003'));
    expect(counting.requests).toBe(afterSeed);
  });

  it('reads a reference another instance stored after the seed, once', async () => {
    await other.save(tenantId, person('A004'), referenceOf('A004', 'a:new-chat'));
    const before = counting.requests;
    expect(await sending.find(tenantId, person('A004'))).toEqual(referenceOf('A004', 'a:new-chat'));
    expect(counting.requests).toBe(before + 1);
    expect(await sending.find(tenantId, person('A004'))).toEqual(referenceOf('A004', 'a:new-chat'));
    expect(counting.requests).toBe(before + 1);
  });

  it('finds nothing for someone with no chat, and nothing once this instance removed theirs', async () => {
    expect(await sending.find(tenantId, person('NOBODY'))).toBeUndefined();
    await sending.remove(tenantId, person('A002'));
    expect(await sending.find(tenantId, person('A002'))).toBeUndefined();
  });

  it('finds what this instance saved in place of the stored one', async () => {
    await sending.save(tenantId, person('A003'), referenceOf('A003', 'a:moved'));
    const before = counting.requests;
    expect(await sending.find(tenantId, person('A003'))).toEqual(referenceOf('A003', 'a:moved'));
    expect(counting.requests).toBe(before);
  });
});
