import type { Env } from '../config';
import type { DailyJobSource, DailyOccurrence } from '../scheduler/daily-job';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { azureCredential } from '../storage/storage-target';
import type { TableClientFactory } from '../storage/table-client-factory';
import { createGraphClient, describeGraphError } from './graph-client';
import { readUserDelta } from './graph-directory';
import type { OrgRepository } from './org.repository';
import { ORG_SYNC_TABLES, OrgSyncRepository } from './org-sync.repository';
import { runOrgSync, type OrgSyncDeps } from './org-sync.runner';

/**
 * The Entra ID sync as a daily job, due at ORG_SYNC_AT. Every day, not office days only: Graph
 * forgets a delta link after 7 days, and the year-end break is longer. It runs only for a tenant HR
 * has applied once with `npm run org:sync -- --mapping <file> --apply`: that run stores the mapping
 * this one uses, so nobody's directory is rewritten before HR has seen a difference.
 */
export class OrgSyncSchedule implements DailyJobSource {
  readonly days = 'everyDay' as const;

  constructor(
    private readonly deps: OrgSyncDeps & { clock: Clock; logger: Logger },
    private readonly at: string,
  ) {}

  async occurrences(tenantId: string): Promise<DailyOccurrence[]> {
    return [{ id: 'org.sync', from: this.at, until: '23:59', run: () => this.run(tenantId) }];
  }

  /**
   * A failure is logged and the day counts as done: what Graph refuses at 03:00 (a missing
   * permission) it refuses every minute after, and tomorrow's run reads the same changes again.
   */
  private async run(tenantId: string): Promise<void> {
    try {
      // No stored mapping (runOrgSync answers noMapping before reading Graph): HR has not applied this tenant yet.
      const outcome = await runOrgSync(this.deps, tenantId, { apply: true, now: this.deps.clock.now() });
      if (outcome.kind !== 'applied') return;
      const { added, changed, deactivated, unmapped, problems } = outcome.plan;
      this.deps.logger.info(
        {
          tenantId,
          full: outcome.full,
          added: added.length,
          changed: changed.length,
          deactivated: deactivated.length,
          unmapped: unmapped.reduce((n, u) => n + u.users.length, 0),
          problems: problems.length,
        },
        'org sync applied',
      );
    } catch (error) {
      this.deps.logger.error({ tenantId, err: describeGraphError(error) }, 'org sync failed; tried again tomorrow');
    }
  }
}

export interface OrgSyncScheduleDeps {
  env: Pick<Env, 'ORG_SYNC_AT' | 'GRAPH_BASE_URL' | 'AZURE_CLIENT_ID'>;
  tables: TableClientFactory;
  org: OrgRepository;
  clock: Clock;
  logger: Logger;
}

/** The sync's job sources for the scheduler: none unless ORG_SYNC_AT is set. Creates its tables. */
export async function orgSyncSchedules(deps: OrgSyncScheduleDeps): Promise<DailyJobSource[]> {
  const at = deps.env.ORG_SYNC_AT;
  if (!at) return [];
  await deps.tables.ensureTables(Object.values(ORG_SYNC_TABLES));
  const graph = createGraphClient(deps.env.GRAPH_BASE_URL, azureCredential(deps.env));
  const origin = new URL(deps.env.GRAPH_BASE_URL).origin;
  return [
    new OrgSyncSchedule(
      {
        readUsers: (link) => readUserDelta(graph, origin, link),
        store: new OrgSyncRepository(deps.tables),
        org: deps.org,
        clock: deps.clock,
        logger: deps.logger,
      },
      at,
    ),
  ];
}
