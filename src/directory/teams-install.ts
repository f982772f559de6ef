import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { describeGraphError, graphStatusOf } from './graph-client';

/** Succeeded / already there / refused, with Graph's reason: the summary HR reads (Company Communicator's result enum). */
export type InstallOutcome = { kind: 'installed' } | { kind: 'already' } | { kind: 'failed'; reason: string };

const catalogSchema = z.object({ value: z.array(z.object({ id: z.string().min(1), externalId: z.string().nullish() }).loose()) }).loose();

/**
 * hibi's id in the tenant's app catalog (not the manifest id): given, or found by the manifest id
 * (`externalId`, which is the bot id). App permission AppCatalog.Read.All for the lookup.
 */
export async function resolveCatalogAppId(client: Client, given: { catalogId?: string; manifestId?: string }): Promise<string | undefined> {
  if (given.catalogId) return given.catalogId;
  if (!given.manifestId) return undefined;
  const answer = catalogSchema.parse(
    await client
      .api('/appCatalogs/teamsApps')
      .filter(`externalId eq '${given.manifestId.replace(/'/g, "''")}'`)
      .get(),
  );
  return answer.value[0]?.id;
}

/** Japanese for what Graph's refusal means for one person, beside Graph's own words. */
function reasonOf(error: unknown): string {
  const status = graphStatusOf(error);
  const meaning =
    status === 404
      ? 'Entra ID にこのユーザーがいません'
      : status === 403
        ? 'インストールが許可されていません（権限 TeamsAppInstallation.ReadWriteSelfForUser.All、または Teams の組織のアプリ設定）'
        : status === 429
          ? 'Microsoft Graph が混み合っていて、待っても受け付けられませんでした'
          : undefined;
  return meaning ? `${meaning}（${describeGraphError(error)}）` : describeGraphError(error);
}

/**
 * Installs hibi in one person's personal scope: POST /users/{id | UPN}/teamwork/installedApps.
 * 409 Conflict = it is already installed, which is what was wanted. 429 is waited out by the client's
 * RetryHandler. Teams then sends hibi the installationUpdate, and hibi keeps the personal chat.
 */
export async function installPersonalApp(client: Client, graphOrigin: string, user: string, catalogAppId: string): Promise<InstallOutcome> {
  try {
    await client
      .api(`/users/${encodeURIComponent(user)}/teamwork/installedApps`)
      .post({ 'teamsApp@odata.bind': `${graphOrigin}/v1.0/appCatalogs/teamsApps/${encodeURIComponent(catalogAppId)}` });
    return { kind: 'installed' };
  } catch (error) {
    const status = graphStatusOf(error);
    if (status === 409) return { kind: 'already' };
    // No answer at all (no token, no network) is not about this person: the run stops.
    if (status === undefined) throw error;
    return { kind: 'failed', reason: reasonOf(error) };
  }
}
