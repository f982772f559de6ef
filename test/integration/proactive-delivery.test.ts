import { RateLimiter } from '../../src/delivery/rate-limiter';
import { systemClock } from '../../src/shared/clock';
import { TABLES } from '../../src/storage/table-names';
import { DeliveryHarness, FAST_RETRY } from '../helpers/delivery-harness';

const DAY = '2026-11-25';

describe('proactive delivery: chats, channels, updates, pacing', () => {
  const h = new DeliveryHarness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());
  beforeEach(() => h.connector.reset());

  it('opens a personal chat for a person known only by Teams user id, stores it, and reuses it', async () => {
    const tenantId = h.newTenant();
    await h.channel(tenantId, '19:juumin@thread.tacv2');
    const recipient = { kind: 'person' as const, personId: 'N0001', teamsUserId: '29:new-person' };
    await h.outbox.enqueue([
      { tenantId, day: DAY, key: 'reminder|N0001|1', recipient, message: { text: 'one' } },
      { tenantId, day: DAY, key: 'reminder|N0001|2', recipient, message: { text: 'two' } },
    ]);

    expect(await h.worker(tenantId).drain()).toMatchObject({ sent: 2 });

    const creates = h.connector.calls.filter((c) => c.kind === 'create');
    expect(creates).toHaveLength(1);
    expect(creates[0]!.body).toMatchObject({ members: [{ id: '29:new-person' }], tenantId });
    const stored = await h.references.get(tenantId, { kind: 'person', personId: 'N0001' });
    expect(stored).toMatchObject({ userId: '29:new-person', conversationType: 'personal', serviceUrl: h.connector.serviceUrl });
    expect(h.sentTo(stored!.conversationId).map((c) => c.body.text)).toEqual(['one', 'two']);
    expect(await h.outbox.getRow(tenantId, DAY, 'reminder|N0001|2')).toMatchObject({ status: 'sent', conversationId: stored!.conversationId });
  });

  it('reports RecipientNotFound, without calling Teams, for a person with no chat and no Teams user id', async () => {
    const tenantId = h.newTenant();
    await h.channel(tenantId, '19:somu@thread.tacv2');
    await h.outbox.enqueue([{ tenantId, day: DAY, key: 'k', recipient: { kind: 'person', personId: 'X0001' }, message: { text: 'x' } }]);

    expect(await h.worker(tenantId).drain()).toMatchObject({ failed: 1 });
    expect(h.connector.calls).toEqual([]);
    expect(await h.outbox.getRow(tenantId, DAY, 'k')).toMatchObject({
      status: 'failed',
      result: 'RecipientNotFound',
      lastError: '404:NoConversationReference',
    });
  });

  it('posts to a team channel, then updates the sent card in place through the row', async () => {
    const tenantId = h.newTenant();
    const channel = await h.channel(tenantId, '19:kikaku@thread.tacv2');
    const recipient = { kind: 'channel' as const, teamId: channel.conversationId, channelId: channel.conversationId };
    await h.outbox.enqueue([{ tenantId, day: DAY, key: 'digest|企画課', recipient, message: { card: { type: 'AdaptiveCard', version: '1.5', body: [] } } }]);
    await h.worker(tenantId).drain();

    const row = await h.outbox.getRow(tenantId, DAY, 'digest|企画課');
    expect(row).toMatchObject({ status: 'sent', conversationId: channel.conversationId, recipient });
    const sender = h.sender(new RateLimiter({ clock: systemClock }));
    const result = await sender.update(
      { tenantId, recipient: row!.recipient!, conversationId: row!.conversationId!, activityId: row!.sentActivityId! },
      { text: 'updated' },
    );

    expect(result).toBe('Succeeded');
    expect(h.connector.calls.filter((c) => c.kind === 'update')).toEqual([
      expect.objectContaining({
        conversationId: channel.conversationId,
        activityId: row!.sentActivityId,
        body: expect.objectContaining({ text: 'updated' }) as object,
      }),
    ]);
  });

  it('retries an update after Retry-After and reports Unreachable on 403', async () => {
    const tenantId = h.newTenant();
    const chat = await h.personWithChat(tenantId, 'U0001');
    const sent = { tenantId, recipient: { kind: 'person' as const, personId: 'U0001' }, conversationId: chat.conversationId, activityId: 'act-1' };
    const sender = h.sender(new RateLimiter({ clock: systemClock }), FAST_RETRY);
    let refused = 0;
    h.connector.intercept(() => (refused++ === 0 ? { status: 429, retryAfterSeconds: 1 } : undefined));

    expect(await sender.update(sent, { text: 'v2' })).toBe('Succeeded');
    const [refusal, update] = [h.connector.rejected[0]!, h.connector.calls[0]!];
    expect(update.at - refusal.at).toBeGreaterThanOrEqual(1000);

    h.connector.intercept(() => ({ status: 403, code: 'ConversationBlockedByUser' }));
    expect(await sender.update(sent, { text: 'v3' })).toBe('Unreachable');
    expect(await h.reachability.list(tenantId)).toEqual([expect.objectContaining({ code: 'ConversationBlockedByUser' })]);
  });

  it("keeps one conversation within Teams' 7 per second and 8 per 2 seconds, in queue order", async () => {
    const tenantId = h.newTenant();
    const channel = await h.channel(tenantId, '19:busy@thread.tacv2');
    const recipient = { kind: 'channel' as const, teamId: channel.conversationId, channelId: channel.conversationId };
    const keys = Array.from({ length: 9 }, (_, i) => `post|${i + 1}`);
    for (const key of keys) await h.outbox.enqueue([{ tenantId, day: DAY, key, recipient, message: { text: key } }]);

    expect(await h.worker(tenantId).drain()).toMatchObject({ sent: 9 });

    const posts = h.sentTo(channel.conversationId);
    expect(posts.map((c) => c.body.text)).toEqual(keys);
    const at = posts.map((c) => c.at);
    // Arrival times carry a few ms of network noise; without the limiter all nine arrive within ~100 ms.
    expect(at[7]! - at[0]!).toBeGreaterThanOrEqual(1000 - 50);
    expect(at[8]! - at[0]!).toBeGreaterThanOrEqual(2000 - 50);
  });

  it('forgets a finished day only after the grace period, and never one with rows left', async () => {
    const tenantId = h.newTenant();
    const chat = await h.personWithChat(tenantId, 'G0001');
    await h.outbox.enqueue([{ tenantId, day: DAY, key: 'g', recipient: { kind: 'person', personId: 'G0001' }, message: { text: 'g' } }]);
    const pendingDays = h.tables.table(TABLES.outboxPending);

    await h.worker(tenantId, {}, { dayReleaseGraceMs: 60_000 }).drain();
    await h.worker(tenantId, {}, { dayReleaseGraceMs: 60_000 }).drain();
    expect(await pendingDays.getEntity(tenantId, DAY)).toBeDefined();

    const tomorrow = new Date(Date.now() + 24 * 3_600_000);
    await h.outbox.enqueue([
      { tenantId, day: '2026-11-26', key: 'later', recipient: { kind: 'person', personId: 'G0001' }, message: { text: 'later' }, notBefore: tomorrow },
    ]);
    await h.worker(tenantId, {}, { dayReleaseGraceMs: 0 }).drain();
    await expect(pendingDays.getEntity(tenantId, DAY)).rejects.toMatchObject({ statusCode: 404 });
    expect(await pendingDays.getEntity(tenantId, '2026-11-26')).toBeDefined();
    expect(await h.outbox.getRow(tenantId, '2026-11-26', 'later')).toMatchObject({ status: 'pending', attempts: 0 });
    expect(h.sentTo(chat.conversationId)).toHaveLength(1);
  });
});
