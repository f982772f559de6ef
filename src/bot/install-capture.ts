import { TeamsInfo, TurnContext, type Activity } from 'botbuilder';
import type { ConversationReferencesRepository, ReferenceOwner, StoredReference } from '../delivery/conversation-references.repository';
import type { TeamsUsersRepository } from '../delivery/teams-users.repository';
import type { OrgRepository } from '../directory/org.repository';
import { teamsInfoOf } from './teams-activity';

/** A member of a team as Teams lists it. */
export interface TeamMember {
  id: string;
  aadObjectId?: string;
}

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
  constructor(
    private readonly references: ConversationReferencesRepository,
    private readonly teamsUsers: TeamsUsersRepository,
    private readonly org: OrgRepository,
  ) {}

  /** Keeps the Teams user id of every directory person among `members`, so hibi can open a chat with them. */
  async rememberMembers(tenantId: string, members: readonly TeamMember[]): Promise<number> {
    let known = 0;
    for (const member of members) {
      if (!member.aadObjectId || !member.id.startsWith('29:')) continue;
      const person = await this.org.findPerson(tenantId, { aadObjectId: member.aadObjectId });
      if (!person) continue;
      await this.teamsUsers.save(tenantId, person.id, member.id);
      known += 1;
    }
    return known;
  }

  /** The whole roster of the team hibi was just added to, page by page. */
  async rememberRoster(tenantId: string, context: TurnContext): Promise<number> {
    let known = 0;
    let continuationToken: string | undefined;
    do {
      const page = await TeamsInfo.getPagedTeamMembers(context, undefined, 500, continuationToken);
      known += await this.rememberMembers(tenantId, page.members);
      continuationToken = page.continuationToken;
    } while (continuationToken);
    return known;
  }

  async remember(tenantId: string, activity: Partial<Activity>, personId: string | undefined): Promise<void> {
    const owner = ownerOf(activity, personId);
    const reference = referenceOf(activity);
    if (owner && reference) await this.references.save(tenantId, owner, reference);
  }

  /** As remember, for a message: an install always writes (another instance may have removed the row), a message only when the chat moved. */
  async refresh(tenantId: string, activity: Partial<Activity>, personId: string): Promise<void> {
    const owner = ownerOf(activity, personId);
    const reference = referenceOf(activity);
    if (owner && reference) await this.references.saveIfChanged(tenantId, owner, reference);
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
