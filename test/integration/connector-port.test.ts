import { createServer } from 'node:net';
import { createConnectorPort } from '../../src/bot/connector-port';
import { loadConfig } from '../../src/config';
import type { StoredReference } from '../../src/delivery/conversation-references.repository';
import { DeliveryError } from '../../src/delivery/delivery.types';
import { ConnectorDouble } from '../helpers/connector-double';

/** A port nothing listens on: connection refused. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}

describe('BotConnectorPort (botbuilder CloudAdapter against the connector double)', () => {
  const connector = new ConnectorDouble();
  const port = createConnectorPort(loadConfig({ LOG_LEVEL: 'silent' }));
  let personal: StoredReference;
  let channel: StoredReference;

  beforeAll(async () => {
    const serviceUrl = await connector.start();
    personal = { channelId: 'msteams', serviceUrl, conversationId: 'a:personal-1', conversationType: 'personal', botId: '28:hibi-bot', userId: '29:user-1' };
    channel = {
      channelId: 'msteams',
      serviceUrl,
      conversationId: '19:juumin@thread.tacv2',
      conversationType: 'channel',
      botId: '28:hibi-bot',
      teamId: '19:juumin@thread.tacv2',
    };
  });
  afterAll(() => connector.stop());
  beforeEach(() => connector.reset());

  it('posts a new message (not a reply) to a personal chat and to a channel, returning the activity id', async () => {
    const toPerson = await port.send(personal, { text: 'おはようございます' });
    const toChannel = await port.send(channel, { card: { type: 'AdaptiveCard', version: '1.5', body: [] }, summary: '朝会' });

    expect(connector.calls.map((c) => [c.kind, c.conversationId])).toEqual([
      ['send', 'a:personal-1'],
      ['send', '19:juumin@thread.tacv2'],
    ]);
    expect(toPerson.activityId).toMatch(/^double-activity-/);
    expect(toChannel.activityId).toMatch(/^double-activity-/);
    expect(connector.calls[0]!.body).toMatchObject({
      type: 'message',
      text: 'おはようございます',
      from: { id: '28:hibi-bot' },
      recipient: { id: '29:user-1' },
    });
    expect(connector.calls[1]!.body).toMatchObject({ summary: '朝会', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive' }] });
  });

  it('updates a sent message in place', async () => {
    await port.update(personal, 'double-activity-7', { text: '回答済み' });
    expect(connector.calls).toHaveLength(1);
    expect(connector.calls[0]).toMatchObject({ kind: 'update', conversationId: 'a:personal-1', activityId: 'double-activity-7', body: { text: '回答済み' } });
  });

  it('creates a personal conversation from a Teams user id and returns its reference', async () => {
    const reference = await port.createPersonalConversation({
      tenantId: 'tenant-1',
      serviceUrl: personal.serviceUrl,
      channelId: 'msteams',
      botId: '28:hibi-bot',
      userId: '29:new-person',
    });
    expect(connector.calls).toHaveLength(1);
    expect(connector.calls[0]).toMatchObject({
      kind: 'create',
      body: {
        isGroup: false,
        bot: { id: '28:hibi-bot' },
        members: [{ id: '29:new-person' }],
        tenantId: 'tenant-1',
        channelData: { tenant: { id: 'tenant-1' } },
      },
    });
    expect(reference).toEqual({
      channelId: 'msteams',
      serviceUrl: personal.serviceUrl,
      conversationId: expect.stringMatching(/^a:double-conversation-/) as string,
      conversationType: 'personal',
      botId: '28:hibi-bot',
      userId: '29:new-person',
    });
  });

  it.each([
    [502, undefined],
    [504, undefined],
    [429, 2],
    [412, undefined],
  ])('surfaces %i after exactly one request: botbuilder does not retry underneath', async (status, retryAfterSeconds) => {
    connector.intercept(() => ({ status, retryAfterSeconds }));
    const error = await port.send(personal, { text: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ status, retryAfterMs: retryAfterSeconds === undefined ? undefined : retryAfterSeconds * 1000 });
    expect(connector.rejected).toHaveLength(1);
    expect(connector.calls).toHaveLength(0);
  });

  it('does not retry a conversation creation either', async () => {
    connector.intercept(() => ({ status: 429, retryAfterSeconds: 1 }));
    const error = await port
      .createPersonalConversation({ tenantId: 't', serviceUrl: personal.serviceUrl, channelId: 'msteams', botId: '28:hibi-bot', userId: '29:u' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 1000 });
    expect(connector.rejected).toHaveLength(1);
  });

  it("reads Teams' error code, preferring the precise subCode", async () => {
    connector.intercept(() => ({ status: 403, code: 'MessageWritesBlocked' }));
    await expect(port.update(personal, 'a', { text: 'x' })).rejects.toMatchObject({ status: 403, code: 'MessageWritesBlocked' });
    connector.intercept(() => ({ status: 403, code: 'Forbidden', subCode: 'MessageWritesBlocked' }));
    await expect(port.send(personal, { text: 'x' })).rejects.toMatchObject({ status: 403, code: 'MessageWritesBlocked' });
  });

  it('reports no answer at all (connection refused) as status 0, without retrying', async () => {
    const unreachable = { ...personal, serviceUrl: `http://127.0.0.1:${await closedPort()}/` };
    const started = Date.now();
    await expect(port.send(unreachable, { text: 'x' })).rejects.toMatchObject({ status: 0 });
    // botbuilder's own policy would retry ECONNREFUSED with 1 s, 2 s, 4 s backoff.
    expect(Date.now() - started).toBeLessThan(900);
  });
});
