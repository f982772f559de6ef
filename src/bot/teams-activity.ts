import type { Activity } from 'botbuilder';

/** Reads the Teams-specific parts of an activity in one place, so the rest never touches channelData. */
export interface TeamsActivityInfo {
  tenantId?: string;
  teamId?: string;
  teamName?: string;
  channelId?: string;
  channelName?: string;
  conversationType?: string;
}

interface TeamsChannelData {
  tenant?: { id?: string };
  team?: { id?: string; name?: string };
  channel?: { id?: string; name?: string };
}

export function teamsInfoOf(activity: Partial<Activity>): TeamsActivityInfo {
  const data = (activity.channelData ?? {}) as TeamsChannelData;
  return {
    tenantId: activity.conversation?.tenantId ?? data.tenant?.id,
    teamId: data.team?.id,
    teamName: data.team?.name,
    channelId: data.channel?.id,
    channelName: data.channel?.name,
    conversationType: activity.conversation?.conversationType ?? impliedConversationType(activity, data),
  };
}

/**
 * Older Teams clients leave conversationType out. A team or channel in channelData, or a group
 * conversation, is still shared: reading it as personal would post a person's records in it.
 */
function impliedConversationType(activity: Partial<Activity>, data: TeamsChannelData): string | undefined {
  if (data.team?.id || data.channel?.id) return 'channel';
  if (activity.conversation?.isGroup) return 'groupChat';
  return activity.conversation ? 'personal' : undefined;
}
