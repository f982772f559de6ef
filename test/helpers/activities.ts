import { randomUUID } from 'node:crypto';

/** Builders for the activities Teams posts to /api/messages, with only what Teams really sends. */
export interface TeamsUser {
  /** Teams' own id (29:...). */
  id: string;
  aadObjectId?: string;
  name?: string;
}

export interface ActivityOptions {
  serviceUrl: string;
  tenantId: string;
  user: TeamsUser;
  conversationId?: string;
  locale?: string;
}

const BOT = { id: '28:hibi-bot', name: 'hibi' };

function base(options: ActivityOptions) {
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl: options.serviceUrl,
    timestamp: new Date().toISOString(),
    locale: options.locale ?? 'en-US',
    from: { id: options.user.id, name: options.user.name ?? 'User', aadObjectId: options.user.aadObjectId },
    recipient: BOT,
    conversation: { id: options.conversationId ?? `a:personal-${options.user.id}`, conversationType: 'personal', tenantId: options.tenantId },
    channelData: { tenant: { id: options.tenantId } },
  };
}

export function personalMessage(options: ActivityOptions, text: string) {
  return { ...base(options), type: 'message', text };
}

export function cardSubmit(options: ActivityOptions, value: Record<string, unknown>, replyToId = 'card-activity-1') {
  return { ...base(options), type: 'message', value, replyToId };
}

export function personalInstall(options: ActivityOptions, action: 'add' | 'remove' = 'add') {
  return { ...base(options), type: 'installationUpdate', action };
}

export function teamInstall(options: ActivityOptions & { teamId: string; channelId?: string }, action: 'add' | 'remove' = 'add') {
  const activity = base(options);
  const channelId = options.channelId ?? options.teamId;
  return {
    ...activity,
    type: 'installationUpdate',
    action,
    conversation: { id: channelId, conversationType: 'channel', tenantId: options.tenantId, isGroup: true },
    channelData: { tenant: { id: options.tenantId }, team: { id: options.teamId, name: '住民課' }, channel: { id: channelId } },
  };
}

export function botAddedToPersonalChat(options: ActivityOptions) {
  return { ...base(options), type: 'conversationUpdate', membersAdded: [{ id: BOT.id }] };
}
