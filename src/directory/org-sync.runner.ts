import { applyRound, type DeltaRound } from './entra-user';
import type { OrgRepository } from './org.repository';
import type { Person } from './org.schema';
import type { SyncMapping } from './org-sync-mapping';
import type { OrgSyncRepository } from './org-sync.repository';
import { hasChanges, planSync, type SyncPlan } from './org-sync.service';

/** Graph keeps a directory delta link 7 days; an older one is not tried, everyone is read again. */
const DELTA_LINK_LIFETIME_MS = 7 * 24 * 3_600_000;

export interface OrgSyncDeps {
  /** One round of the users delta: from the link, or everyone without one. */
  readUsers(deltaLink: string | undefined): Promise<DeltaRound & { restarted: boolean }>;
  store: OrgSyncRepository;
  org: OrgRepository;
}

export type OrgSyncOutcome =
  | { kind: 'noMapping' }
  | {
      kind: 'planned' | 'applied';
      plan: SyncPlan;
      /** The directory before the run, for naming people in the report. */
      before: Person[];
      /** true = everyone was read (first run, expired link); false = only the changes since the last applied run. */
      full: boolean;
      restarted: boolean;
    };

/**
 * Reads Entra ID from where the last applied run stopped, plans the directory, and with `apply`
 * writes it the way the CSV import does (OrgRepository.importDirectory), then keeps the users and
 * the next delta link. Without `apply` nothing is written, so the same changes are read again next time.
 */
export async function runOrgSync(deps: OrgSyncDeps, tenantId: string, options: { mapping?: SyncMapping; apply: boolean; now: Date }): Promise<OrgSyncOutcome> {
  const state = await deps.store.getState(tenantId);
  const mapping = options.mapping ?? state?.mapping;
  if (!mapping) return { kind: 'noMapping' };
  const fresh = state && options.now.getTime() - state.deltaLinkAt.getTime() < DELTA_LINK_LIFETIME_MS;
  const round = await deps.readUsers(fresh ? state.deltaLink : undefined);
  const [previous, before] = await Promise.all([deps.store.listUsers(tenantId), deps.org.listPeople(tenantId)]);
  const users = applyRound(previous, round);
  const plan = planSync({ previous, users, people: before, mapping });
  const report = { plan, before, full: round.full, restarted: round.restarted };
  if (!options.apply) return { kind: 'planned', ...report };

  if (hasChanges(plan)) await deps.org.importDirectory(tenantId, plan.directory);
  // The settings row is what makes a tenant one the scheduler serves (and so the nightly sync): written on every apply.
  const settings = await deps.org.getSettings(tenantId);
  const importedAt = hasChanges(plan) ? options.now.toISOString() : (settings?.importedAt ?? options.now.toISOString());
  await deps.org.saveSettings(tenantId, { defaultLocale: settings?.defaultLocale ?? 'ja', importedAt });
  await deps.store.saveUsers(tenantId, previous, users);
  await deps.store.saveState(tenantId, { deltaLink: round.deltaLink, deltaLinkAt: options.now, mapping, syncedAt: options.now });
  return { kind: 'applied', ...report };
}
