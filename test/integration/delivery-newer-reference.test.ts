import { randomUUID } from 'node:crypto';
import { APP_TABLES } from '../../src/app-tables';
import { createConnectorPort } from '../../src/bot/connector-port';
import { loadConfig } from '../../src/config';
import { ConversationReferencesRepository, type StoredReference } from '../../src/delivery/conversation-references.repository';
import { createDeliveryLayer } from '../../src/delivery/delivery-layer';
import { toPerson } from '../../src/delivery/notifier';
import { OutboxRepository } from '../../src/delivery/outbox.repository';
import { createLogger } from '../../src/shared/logger';
import { TableClientFactory } from '../../src/storage/table-client-factory';
import { ConnectorDouble } from '../helpers/connector-double';
import { testConnectionString } from '../helpers/test-app';

/**
 * One instance sends from its memo of conversation references; another (the one that took the
 * person's reinstall) stored a new chat since. Teams refuses the old chat: the sender reads the row
 * again and delivers to the new one, rather than recording the person as unreachable for half a day.
 */
describe('a send to a chat Teams refuses, when another instance stored a newer one', () => {
  const tables = new TableClientFactory(testConnectionString());
  const references = new ConversationReferencesRepository(tables);
  const otherInstance = new ConversationReferencesRepository(new TableClientFactory(testConnectionString()));
  const outbox = new OutboxRepository(tables);
  const connector = new ConnectorDouble();
  const tenantId = randomUUID();
  const DAY = '2026-12-03';
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const layer = createDeliveryLayer({ config, tables, references, logger: createLogger('silent'), port: createConnectorPort(config), tenantIds: [tenantId] });

  const chat = (personId: string, conversationId: string): StoredReference => ({
    channelId: 'msteams',
    serviceUrl: connector.serviceUrl,
    conversationId,
    conversationType: 'personal',
    botId: '28:hibi-bot',
    userId: `29:${personId}`,
  });
  const sendsTo = (conversationId: string) => connector.calls.filter((call) => call.kind === 'send' && call.conversationId === conversationId);
  const refusedTo = (conversationId: string) => connector.rejected.filter((call) => call.conversationId === conversationId);

  beforeAll(async () => {
    await tables.ensureTables(APP_TABLES);
    await connector.start();
    // The chats Teams no longer has.
    connector.intercept((call) => (call.conversationId?.endsWith(':old') ? { status: 404, code: 'ConversationNotFound' } : undefined));
  });

  afterAll(async () => {
    await layer.worker.stop();
    await connector.stop();
  });

  it('delivers to the newer chat once, and records that chat on the row', async () => {
    await references.save(tenantId, toPerson('P1'), chat('P1', 'a:P1:old'));
    // This instance's memo holds the old chat; the other instance stores the new one after.
    expect((await references.find(tenantId, toPerson('P1')))?.conversationId).toBe('a:P1:old');
    await otherInstance.save(tenantId, toPerson('P1'), chat('P1', 'a:P1:new'));

    await layer.notifier.send(tenantId, DAY, [{ key: 'prompt|P1', to: toPerson('P1'), message: { text: 'おはようございます' } }]);
    const summary = await layer.worker.drain();

    expect(summary).toMatchObject({ sent: 1, unreachable: 0, failed: 0 });
    expect(refusedTo('a:P1:old')).toHaveLength(1);
    expect(sendsTo('a:P1:new')).toHaveLength(1);
    expect((await outbox.get(tenantId, DAY, 'prompt|P1'))?.entity).toMatchObject({ status: 'sent', conversationId: 'a:P1:new' });
    // The memo now has the new chat: the next send goes there first time.
    await layer.notifier.send(tenantId, DAY, [{ key: 'later|P1', to: toPerson('P1'), message: { text: 'お疲れさまでした' } }]);
    await layer.worker.drain();
    expect(refusedTo('a:P1:old')).toHaveLength(1);
    expect(sendsTo('a:P1:new')).toHaveLength(2);
  });

  it('records the row as not delivered when the stored chat is the one refused', async () => {
    await references.save(tenantId, toPerson('P2'), chat('P2', 'a:P2:old'));
    await layer.notifier.send(tenantId, DAY, [{ key: 'prompt|P2', to: toPerson('P2'), message: { text: 'おはようございます' } }]);
    const summary = await layer.worker.drain();

    expect(summary).toMatchObject({ sent: 0, failed: 1 });
    expect(refusedTo('a:P2:old')).toHaveLength(1);
    expect((await outbox.get(tenantId, DAY, 'prompt|P2'))?.entity).toMatchObject({
      status: 'failed',
      result: 'RecipientNotFound',
      lastError: '404:ConversationNotFound',
    });
  });
});
