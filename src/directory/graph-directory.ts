import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import type { DeltaRound, EntraField, UserChange } from './entra-user';
import { graphStatusOf } from './graph-client';

/**
 * The properties the sync reads, and `manager`. Graph's delta query does not take $expand on users
 * (learn.microsoft.com/graph/delta-query-overview: "$expand is not supported"); it tracks the manager
 * when it is in $select and answers with a `manager@delta` annotation, on the first round for everyone
 * who has one and later for whose manager changed. App permission: User.Read.All.
 */
export const USER_DELTA_PATH =
  '/users/delta?$select=id,displayName,givenName,surname,mail,userPrincipalName,department,jobTitle,employeeId,accountEnabled,userType,manager';

/** A guard against a Graph that never ends a round. 10,000 staff are about 50 pages. */
const MAX_PAGES = 5_000;

const STRING_FIELDS = ['displayName', 'givenName', 'surname', 'mail', 'userPrincipalName', 'department', 'jobTitle', 'employeeId', 'userType'] as const;

const removedSchema = z.object({ reason: z.string().optional() }).loose();
const directoryRefSchema = z.object({ id: z.string().min(1), '@removed': removedSchema.optional() }).loose();
const nullableText = z.string().max(1024).nullable().optional();

/** One item of a delta page, as Graph sends it: absent = not said, null = cleared. */
const deltaUserSchema = z
  .object({
    id: z.string().min(1).max(64),
    '@removed': removedSchema.optional(),
    displayName: nullableText,
    givenName: nullableText,
    surname: nullableText,
    mail: nullableText,
    userPrincipalName: nullableText,
    department: nullableText,
    jobTitle: nullableText,
    employeeId: nullableText,
    userType: nullableText,
    accountEnabled: z.boolean().nullable().optional(),
    'manager@delta': z.array(directoryRefSchema).optional(),
    // Not what delta sends, but what /users?$expand=manager does: read the same, should Graph ever answer so.
    manager: directoryRefSchema.nullable().optional(),
  })
  .loose();

const deltaPageSchema = z
  .object({
    value: z.array(z.unknown()),
    '@odata.nextLink': z.string().optional(),
    '@odata.deltaLink': z.string().optional(),
  })
  .loose();

export class GraphAnswerError extends Error {}

function toChange(raw: unknown, page: number, index: number): UserChange {
  const parsed = deltaUserSchema.safeParse(raw);
  if (!parsed.success) {
    throw new GraphAnswerError(
      `Graph の応答 ${page} ページ目の ${index + 1} 件目が読めません: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('、')}`,
    );
  }
  const item = parsed.data;
  const id = item.id.toLowerCase();
  if (item['@removed']) return { kind: 'removed', id };
  const fields: Partial<Record<EntraField, string | boolean | null>> = {};
  for (const field of STRING_FIELDS) if (item[field] !== undefined) fields[field] = item[field];
  if (item.accountEnabled !== undefined) fields.accountEnabled = item.accountEnabled;
  let managerId: string | null | undefined;
  const delta = item['manager@delta'];
  if (delta) {
    // A user has one manager: the entry not marked removed is it; only removed entries = no manager now.
    const current = delta.filter((m) => !m['@removed']).at(-1);
    managerId = current ? current.id.toLowerCase() : null;
  } else if (item.manager !== undefined) {
    managerId = item.manager && !item.manager['@removed'] ? item.manager.id.toLowerCase() : null;
  }
  return { kind: 'upsert', id, fields, managerId };
}

/**
 * One round of GET /users/delta: from `deltaLink` (the changes since the last applied run), or
 * everyone when there is none or Graph no longer knows it (410 Gone: delta links of directory
 * objects live 7 days), following @odata.nextLink to the page that carries the next @odata.deltaLink.
 * Links must stay on Graph's origin, so the token is never sent anywhere else.
 */
export async function readUserDelta(client: Client, graphOrigin: string, deltaLink: string | undefined): Promise<DeltaRound & { restarted: boolean }> {
  const sameOrigin = (link: string): string => {
    if (new URL(link).origin !== graphOrigin) throw new GraphAnswerError(`Graph が別のサーバーへのリンクを返しました: ${new URL(link).origin}`);
    return link;
  };
  const read = async (start: string): Promise<DeltaRound> => {
    const changes: UserChange[] = [];
    let url = start;
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const body = deltaPageSchema.safeParse(await client.api(url).get());
      if (!body.success) throw new GraphAnswerError(`Graph の応答 ${page} ページ目が delta の形ではありません`);
      body.data.value.forEach((raw, index) => changes.push(toChange(raw, page, index)));
      const next = body.data['@odata.nextLink'];
      const delta = body.data['@odata.deltaLink'];
      if (delta) return { full: start === USER_DELTA_PATH, changes, deltaLink: sameOrigin(delta) };
      if (!next) throw new GraphAnswerError(`Graph の応答 ${page} ページ目に @odata.nextLink も @odata.deltaLink もありません`);
      url = sameOrigin(next);
    }
    throw new GraphAnswerError(`Graph の応答が ${MAX_PAGES} ページを超えました`);
  };
  if (!deltaLink) return { ...(await read(USER_DELTA_PATH)), restarted: false };
  try {
    return { ...(await read(sameOrigin(deltaLink))), restarted: false };
  } catch (error) {
    if (graphStatusOf(error) !== 410) throw error;
    return { ...(await read(USER_DELTA_PATH)), restarted: true };
  }
}
