import type { TableClient } from '@azure/data-tables';
import { compositeKey } from '../../storage/table-keys';
import { findEntity, rowPrefixFilter, tenantRange } from '../../storage/table-ops';
import type { TableClientFactory } from '../../storage/table-client-factory';
import type { Assignment, Plan, PlanStep, Progress } from './ojt.schema';

export const OJT_TABLES = { ojt: 'ojt' } as const;

/**
 * ojt: PK = tenant|junior, RK = `assignment`, `plan` or `progress|<YYYY-MM>`. Everything about one
 * junior is one partition (their plan with its months is one query, a purge of them one partition);
 * a mentor's juniors, the monthly job and the KPI read the tenant's `tenant|` partitions in one range
 * query: a town has a few dozen juniors in OJT, never thousands.
 */
type Row = { partitionKey: string; rowKey: string } & Record<string, unknown>;

const ASSIGNMENT = 'assignment';
const PLAN = 'plan';
const progressKey = (month: string): string => compositeKey('progress', month);

/** Everything stored for a tenant's OJT, read once: assignments, plans and progress by junior. */
export interface OjtSnapshot {
  assignments: Assignment[];
  plans: Map<string, Plan>;
  progress: Map<string, Progress[]>;
}

export class OjtRepository {
  private readonly table: TableClient;

  constructor(tables: TableClientFactory) {
    this.table = tables.table(OJT_TABLES.ojt);
  }

  async assignment(tenantId: string, juniorId: string): Promise<Assignment | undefined> {
    const row = await this.read(tenantId, juniorId, ASSIGNMENT);
    return row && toAssignment(tenantId, juniorId, row);
  }

  /** One row per junior: assigning again replaces the mentor (and starts `since` anew). */
  async saveAssignment(a: Assignment): Promise<void> {
    await this.table.upsertEntity(
      {
        partitionKey: compositeKey(a.tenantId, a.juniorId),
        rowKey: ASSIGNMENT,
        mentorId: a.mentorId,
        unit: a.unit,
        assignedBy: a.assignedBy,
        since: a.since,
        endedOn: a.endedOn ?? '',
        updatedAt: a.updatedAt,
      },
      'Replace',
    );
  }

  async plan(tenantId: string, juniorId: string): Promise<Plan | undefined> {
    const row = await this.read(tenantId, juniorId, PLAN);
    return row && toPlan(tenantId, juniorId, row);
  }

  /** The junior's one plan: the key is the idempotency, a second save replaces the first. */
  async savePlan(p: Plan): Promise<void> {
    await this.table.upsertEntity(
      {
        partitionKey: compositeKey(p.tenantId, p.juniorId),
        rowKey: PLAN,
        mentorId: p.mentorId,
        goals: p.goals,
        steps: JSON.stringify(p.steps),
        formId: p.formId,
        createdOn: p.createdOn,
        savedOn: p.savedOn,
        createdAt: p.createdAt,
        updatedAt: p.updatedAt,
      },
      'Replace',
    );
  }

  /** One record per plan and month: a re-submit replaces it. */
  async saveProgress(p: Progress): Promise<void> {
    await this.table.upsertEntity(
      {
        partitionKey: compositeKey(p.tenantId, p.juniorId),
        rowKey: progressKey(p.month),
        mentorId: p.mentorId,
        doneSteps: JSON.stringify(p.doneSteps),
        comment: p.comment ?? '',
        recordedOn: p.recordedOn,
        updatedAt: p.updatedAt,
      },
      'Replace',
    );
  }

  async progressOf(tenantId: string, juniorId: string): Promise<Progress[]> {
    const out: Progress[] = [];
    const filter = rowPrefixFilter(compositeKey(tenantId, juniorId), 'progress|');
    for await (const row of this.table.listEntities<Row>({ queryOptions: { filter } })) out.push(toProgress(tenantId, juniorId, row));
    return out;
  }

  async snapshot(tenantId: string): Promise<OjtSnapshot> {
    const snapshot: OjtSnapshot = { assignments: [], plans: new Map(), progress: new Map() };
    const filter = tenantRange(tenantId);
    for await (const row of this.table.listEntities<Row>({ queryOptions: { filter } })) {
      const juniorId = decodeURIComponent(row.partitionKey.split('|').at(-1) ?? '');
      if (row.rowKey === ASSIGNMENT) snapshot.assignments.push(toAssignment(tenantId, juniorId, row));
      else if (row.rowKey === PLAN) snapshot.plans.set(juniorId, toPlan(tenantId, juniorId, row));
      else snapshot.progress.set(juniorId, [...(snapshot.progress.get(juniorId) ?? []), toProgress(tenantId, juniorId, row)]);
    }
    return snapshot;
  }

  private async read(tenantId: string, juniorId: string, rowKey: string): Promise<Row | undefined> {
    return findEntity<Row>(this.table, compositeKey(tenantId, juniorId), rowKey);
  }
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function toAssignment(tenantId: string, juniorId: string, row: Row): Assignment {
  return {
    tenantId,
    juniorId,
    mentorId: text(row.mentorId),
    unit: text(row.unit),
    assignedBy: text(row.assignedBy),
    since: text(row.since),
    endedOn: text(row.endedOn) || undefined,
    updatedAt: text(row.updatedAt),
  };
}

function toPlan(tenantId: string, juniorId: string, row: Row): Plan {
  return {
    tenantId,
    juniorId,
    mentorId: text(row.mentorId),
    goals: text(row.goals),
    steps: JSON.parse(text(row.steps) || '[]') as PlanStep[],
    formId: text(row.formId),
    createdOn: text(row.createdOn),
    savedOn: text(row.savedOn),
    createdAt: text(row.createdAt),
    updatedAt: text(row.updatedAt),
  };
}

function toProgress(tenantId: string, juniorId: string, row: Row): Progress {
  return {
    tenantId,
    juniorId,
    month: row.rowKey.split('|').at(-1) ?? '',
    mentorId: text(row.mentorId),
    doneSteps: JSON.parse(text(row.doneSteps) || '[]') as number[],
    comment: text(row.comment) || undefined,
    recordedOn: text(row.recordedOn),
    updatedAt: text(row.updatedAt),
  };
}
