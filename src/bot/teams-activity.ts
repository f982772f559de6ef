import type { Activity } from 'botbuilder';

/** Reads the Teams-specific parts of an activity in one place, so the rest never touches channelData. */
export interface TeamsActivityInfo {
  tenantId?: string;
  teamId?: string;
  channelId?: string;
  conversationType?: string;
}

interface TeamsChannelData {
  tenant?: { id?: string };
  team?: { id?: string };
  channel?: { id?: string };
}

export function teamsInfoOf(activity: Partial<Activity>): TeamsActivityInfo {
  const data = (activity.channelData ?? {}) as TeamsChannelData;
  return {
    tenantId: activity.conversation?.tenantId ?? data.tenant?.id,
    teamId: data.team?.id,
    channelId: data.channel?.id,
    conversationType: activity.conversation?.conversationType,
  };
}
