import { inboundActivitySchema, isReadableActivity } from '../../src/server/inbound-activity';

/** Shaped like what Teams posts for a personal message (trimmed ids, every field it sends). */
const teamsMessage = {
  text: 'チェックイン',
  textFormat: 'plain',
  type: 'message',
  timestamp: '2026-11-25T00:01:02.123Z',
  localTimestamp: '2026-11-25T09:01:02.123+09:00',
  id: '1732492862123',
  channelId: 'msteams',
  serviceUrl: 'https://smba.trafficmanager.net/jp/0f0f0f0f-0000-4000-8000-000000000000/',
  from: { id: '29:1abc', name: '渡辺 健太', aadObjectId: '3c1c2a4e-6f0e-4b8e-9a52-1d2a6b0c0a01' },
  conversation: { conversationType: 'personal', tenantId: '0f0f0f0f-0000-4000-8000-000000000000', id: 'a:1xyz' },
  recipient: { id: '28:00000000-0000-0000-0000-000000000011', name: 'hibi' },
  entities: [{ locale: 'ja-JP', country: 'JP', platform: 'Web', timezone: 'Asia/Tokyo', type: 'clientInfo' }],
  channelData: { tenant: { id: '0f0f0f0f-0000-4000-8000-000000000000' } },
  locale: 'ja-JP',
  localTimezone: 'Asia/Tokyo',
};

const channelMention = {
  ...teamsMessage,
  text: '<at>hibi</at> ヘルプ',
  conversation: { isGroup: true, conversationType: 'channel', tenantId: teamsMessage.conversation.tenantId, id: '19:abc@thread.tacv2;messageid=1' },
  entities: [{ mentioned: { id: '28:00000000-0000-0000-0000-000000000011', name: 'hibi' }, text: '<at>hibi</at>', type: 'mention' }],
  channelData: {
    teamsChannelId: '19:abc@thread.tacv2',
    teamsTeamId: '19:abc@thread.tacv2',
    channel: { id: '19:abc@thread.tacv2' },
    team: { id: '19:abc@thread.tacv2' },
    tenant: { id: 't' },
  },
};

const cardSubmit = { ...teamsMessage, text: undefined, replyToId: '1732492860000', value: { verb: 'checkin.submit', priority: 'x' } };
const installInTeam = { ...channelMention, type: 'installationUpdate', action: 'add', text: undefined, entities: undefined };
const botAdded = {
  ...teamsMessage,
  type: 'conversationUpdate',
  text: undefined,
  membersAdded: [{ id: '28:00000000-0000-0000-0000-000000000011' }],
  channelData: { tenant: { id: 't' }, eventType: 'teamMemberAdded' },
};
const invoke = { ...teamsMessage, type: 'invoke', name: 'adaptiveCard/action', text: undefined, value: { action: { type: 'Action.Execute', verb: 'x' } } };

describe('inbound activity shape', () => {
  it.each([
    ['a personal message', teamsMessage],
    ['a channel @mention', channelMention],
    ['a card submit', cardSubmit],
    ['an install in a team', installInTeam],
    ['hibi added to a chat', botAdded],
    ['an invoke', invoke],
  ])('accepts what Teams sends: %s', (_name, activity) => {
    expect(inboundActivitySchema.safeParse(activity).error?.issues).toBeUndefined();
  });

  it('keeps the fields it does not know', () => {
    expect(inboundActivitySchema.parse(teamsMessage)).toMatchObject({ localTimezone: 'Asia/Tokyo', textFormat: 'plain' });
  });

  it.each([
    ['no type', { ...teamsMessage, type: undefined }],
    ['a type that is not a string', { ...teamsMessage, type: 7 }],
    ['no conversation', { ...teamsMessage, conversation: undefined }],
    ['a conversation name that is a number', { ...teamsMessage, conversation: { ...teamsMessage.conversation, name: 3 } }],
    ['a text that is a number', { ...teamsMessage, text: 5 }],
    ['a mention without its account', { ...channelMention, entities: [{ type: 'mention', text: '<at>x</at>' }] }],
    ['an entity without a type', { ...teamsMessage, entities: [{ locale: 'ja-JP' }] }],
    ['a serviceUrl that is not http(s)', { ...teamsMessage, serviceUrl: 'javascript:alert(1)' }],
    ['a sender without an id', { ...teamsMessage, from: { name: 'x' } }],
    ['a tenant id that is an object', { ...teamsMessage, channelData: { tenant: { id: { $ne: null } } } }],
    ['an array', [teamsMessage]],
  ])('refuses %s', (_name, body) => {
    expect(isReadableActivity(body)).toBe(false);
  });
});
