import { TeamsInfo, TurnContext } from 'botbuilder';
import type { Mention } from '../routing/handler-context';

/**
 * The people @mentioned in a message, hibi's own mention left out. A Teams mention entity carries
 * only the 29: id and the display name, so the Entra object id (what the directory is keyed by) is
 * asked of Teams for that member, the same way identity.ts falls back for the sender. This reads the
 * member from the conversation the mention was made in, where they are a member by definition; the
 * teamsusers table would only know people of team rosters hibi has seen, and is keyed the other way.
 */
export async function mentionsOf(context: TurnContext): Promise<Mention[]> {
  const botId = context.activity.recipient?.id;
  const out: Mention[] = [];
  for (const mention of TurnContext.getMentions(context.activity)) {
    const account = mention.mentioned;
    if (!account?.id || account.id === botId || out.some((m) => m.teamsUserId === account.id)) continue;
    const aadObjectId = account.aadObjectId ?? (await TeamsInfo.getMember(context, account.id).catch(() => undefined))?.aadObjectId;
    out.push({ teamsUserId: account.id, aadObjectId, name: account.name ?? '' });
  }
  return out;
}
