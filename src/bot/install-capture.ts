import { TurnContext, type Activity } from 'botbuilder';
import type { ConversationReferencesRepository, ReferenceOwner, StoredReference } from '../delivery/conversation-references.repository';
import { teamsInfoOf } from './teams-activity';

/** Where a conversation's reference is kept: a person's personal chat, or a team channel. */
export function ownerOf(activity: Partial<Activity>, personId: string | undefined): ReferenceOwner | undefined {
  const info = teamsInfoOf(activity);
  if (info.conversationType === 'channel' || info.teamId) {
    const teamId = info.teamId ?? activity.conversation?.id;
    if (!teamId) return undefined;
    return { kind: 'channel', teamId, channelId: info.channelId ?? activity.conversation?.id ?? teamId };
  }
  if (info.conversationType === 'groupChat') return undefined;
  return personId ? { kind: 'person', personId } : undefined;
}

export function referenceOf(activity: Partial<Activity>): StoredReference | undefined {
  const ref = TurnContext.getConversationReference(activity);
  if (!ref.serviceUrl || !ref.conversation?.id || !ref.bot?.id || !ref.channelId) return undefined;
  const info = teamsInfoOf(activity);
  return {
    channelId: ref.channelId,
    serviceUrl: ref.serviceUrl,
    conversationId: ref.conversation.id,
    conversationType: ref.conversation.conversationType,
    botId: ref.bot.id,
    userId: info.conversationType === 'personal' || !info.conversationType ? ref.user?.id : undefined,
    teamId: info.teamId,
    teamName: info.teamName,
    channelName: info.channelName,
  };
}

/** Keeps the conversation references that proactive sends need, and forgets them on uninstall. */
export class InstallCapture {
  constructor(private readonly references: ConversationReferencesRepository) {}

  async remember(tenantId: string, activity: Partial<Activity>, personId: string | undefined): Promise<void> {
    const owner = ownerOf(activity, personId);
    const reference = referenceOf(activity);
    if (owner && reference) await this.references.save(tenantId, owner, reference);
  }

  async forget(tenantId: string, activity: Partial<Activity>, personId: string | undefined): Promise<void> {
    const info = teamsInfoOf(activity);
    if (info.teamId) {
      await this.references.removeTeam(tenantId, info.teamId);
      return;
    }
    const owner = ownerOf(activity, personId);
    if (owner) await this.references.remove(tenantId, owner);
  }
}
