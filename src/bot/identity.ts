import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { OrgRepository } from '../directory/org.repository';
import type { Person } from '../directory/org.schema';

/**
 * Finds the directory person behind a Teams user: by Entra object id first (on every Teams
 * activity), then by the email / UPN Teams returns for the member (people imported without an id).
 */
export async function resolvePerson(context: TurnContext, tenantId: string, org: OrgRepository): Promise<Person | undefined> {
  const from = context.activity.from;
  const byObjectId = from?.aadObjectId ? await org.findPerson(tenantId, { aadObjectId: from.aadObjectId }) : undefined;
  if (byObjectId) return byObjectId;
  if (!from?.id) return undefined;
  const member = await TeamsInfo.getMember(context, from.id).catch(() => undefined);
  const address = member?.email ?? member?.userPrincipalName;
  return address ? org.findPerson(tenantId, { email: address }) : undefined;
}
