import { odata, type TableClient } from '@azure/data-tables';
import type { TableClientFactory } from '../../storage/table-client-factory';
import { compositeKey } from '../../storage/table-keys';
import { findEntity, isChangedSinceRead, tenantRange } from '../../storage/table-ops';
import type { RoleKey } from '../org/org.schema';
import type { Answer, Attendance, Training, TrainingKind, TrainingPlan } from './training.schema';

export const TRAINING_TABLES = { trainings: 'trainings', attendance: 'trainingattendance' } as const;

/** trainings: PK = tenant, RK = training id. A town registers tens a year: every read is the tenant's one partition. */
type TrainingEntity = {
  partitionKey: string;
  rowKey: string;
  name: string;
  startDay: string;
  endDay: string;
  kind: string;
  units: string;
  roles: string;
  required: boolean;
  revision: number;
  invitedRevision: number;
  createdAt: string;
  updatedAt: string;
};

/**
 * trainingattendance: PK = tenant|training id, RK = person id. The person's own answer and HR's
 * import are separate columns, so neither overwrites the other; an empty column = no answer.
 */
type AttendanceEntity = {
  partitionKey: string;
  rowKey: string;
  self?: string;
  selfNote?: string;
  selfAt?: string;
  hr?: string;
  hrAt?: string;
};

export type SaveOutcome = 'created' | 'updated' | 'unchanged';

/** What saving `plan` over `current` does: what the invited read changing is a new revision, announced again. */
export function outcomeOf(current: TrainingPlan | undefined, plan: TrainingPlan): SaveOutcome {
  if (!current) return 'created';
  return sameContent(current, plan) ? 'unchanged' : 'updated';
}

function sameContent(a: TrainingPlan, b: TrainingPlan): boolean {
  return (
    a.name === b.name &&
    a.startDay === b.startDay &&
    a.endDay === b.endDay &&
    a.kind === b.kind &&
    a.required === b.required &&
    JSON.stringify(a.units) === JSON.stringify(b.units) &&
    JSON.stringify(a.roles) === JSON.stringify(b.roles)
  );
}

export class TrainingRepository {
  private readonly trainings: TableClient;
  private readonly attendance: TableClient;

  constructor(tables: TableClientFactory) {
    this.trainings = tables.table(TRAINING_TABLES.trainings);
    this.attendance = tables.table(TRAINING_TABLES.attendance);
  }

  async get(tenantId: string, id: string): Promise<(Training & { etag: string }) | undefined> {
    const entity = await findEntity<TrainingEntity>(this.trainings, compositeKey(tenantId), id);
    return entity ? { ...toTraining(tenantId, entity), etag: entity.etag } : undefined;
  }

  /** Every training of the tenant, by start day. */
  async list(tenantId: string): Promise<Training[]> {
    const out: Training[] = [];
    for await (const entity of this.trainings.listEntities<TrainingEntity>({ queryOptions: { filter: odata`PartitionKey eq ${compositeKey(tenantId)}` } })) {
      out.push(toTraining(tenantId, entity));
    }
    return out.sort((a, b) => a.startDay.localeCompare(b.startDay) || a.id.localeCompare(b.id));
  }

  /** Creates or updates from HR's plan; the same plan again changes nothing, so an import can be run twice. */
  async save(tenantId: string, plan: TrainingPlan, now: Date): Promise<SaveOutcome> {
    const current = await this.get(tenantId, plan.id);
    const at = now.toISOString();
    const outcome = outcomeOf(current, plan);
    if (!current) await this.trainings.createEntity(toEntity({ ...plan, tenantId, revision: 1, invitedRevision: 0, createdAt: at, updatedAt: at }));
    if (!current || outcome === 'unchanged') return outcome;
    await this.trainings.updateEntity(toEntity({ ...current, ...plan, revision: current.revision + 1, updatedAt: at }), 'Replace', { etag: current.etag });
    return 'updated';
  }

  /** Records that `revision` was announced; false when the training changed (or another instance marked it) meanwhile. */
  async markInvited(tenantId: string, id: string, revision: number): Promise<boolean> {
    const current = await this.get(tenantId, id);
    if (!current || current.revision !== revision || current.invitedRevision >= revision) return false;
    try {
      await this.trainings.updateEntity({ partitionKey: compositeKey(tenantId), rowKey: id, invitedRevision: revision }, 'Merge', { etag: current.etag });
      return true;
    } catch (error) {
      if (isChangedSinceRead(error)) return false;
      throw error;
    }
  }

  async attendanceOf(tenantId: string, trainingId: string, personId: string): Promise<Attendance | undefined> {
    const entity = await findEntity<AttendanceEntity>(this.attendance, compositeKey(tenantId, trainingId), personId);
    return entity ? toAttendance(entity) : undefined;
  }

  /** Every attendance row of the tenant: a few per person and training, read in one range query. */
  async listAttendance(tenantId: string): Promise<Attendance[]> {
    const out: Attendance[] = [];
    for await (const entity of this.attendance.listEntities<AttendanceEntity>({ queryOptions: { filter: tenantRange(tenantId) } }))
      out.push(toAttendance(entity));
    return out;
  }

  /** The attendance rows of one training: one partition. */
  async listAttendanceOf(tenantId: string, trainingId: string): Promise<Attendance[]> {
    const out: Attendance[] = [];
    const filter = odata`PartitionKey eq ${compositeKey(tenantId, trainingId)}`;
    for await (const entity of this.attendance.listEntities<AttendanceEntity>({ queryOptions: { filter } })) out.push(toAttendance(entity));
    return out;
  }

  /** The person's own answer; a merge, so HR's column stays and the same answer twice is one row. */
  async recordSelf(tenantId: string, trainingId: string, personId: string, answer: Answer, note: string | undefined, at: Date): Promise<void> {
    await this.attendance.upsertEntity<AttendanceEntity>(
      { partitionKey: compositeKey(tenantId, trainingId), rowKey: personId, self: answer, selfNote: note ?? '', selfAt: at.toISOString() },
      'Merge',
    );
  }

  /** HR's record from the sign-in sheet; a merge, so the person's own answer stays beside it. */
  async recordHr(tenantId: string, trainingId: string, personId: string, answer: Answer, at: Date): Promise<void> {
    await this.attendance.upsertEntity<AttendanceEntity>(
      { partitionKey: compositeKey(tenantId, trainingId), rowKey: personId, hr: answer, hrAt: at.toISOString() },
      'Merge',
    );
  }
}

function toEntity(t: Omit<Training, 'tenantId'> & { tenantId: string }): TrainingEntity {
  return {
    partitionKey: compositeKey(t.tenantId),
    rowKey: t.id,
    name: t.name,
    startDay: t.startDay,
    endDay: t.endDay,
    kind: t.kind,
    units: JSON.stringify(t.units),
    roles: JSON.stringify(t.roles),
    required: t.required,
    revision: t.revision,
    invitedRevision: t.invitedRevision,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}

function toTraining(tenantId: string, e: TrainingEntity): Training {
  return {
    tenantId,
    id: e.rowKey,
    name: e.name,
    startDay: e.startDay,
    endDay: e.endDay,
    kind: e.kind as TrainingKind,
    units: JSON.parse(e.units) as string[],
    roles: JSON.parse(e.roles) as RoleKey[],
    required: e.required,
    revision: e.revision,
    invitedRevision: e.invitedRevision,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

const answerOf = (value: string | undefined): Answer | undefined => (value === 'attended' || value === 'missed' ? value : undefined);

function toAttendance(e: AttendanceEntity): Attendance {
  return {
    trainingId: decodeURIComponent(e.partitionKey.split('|').at(-1) ?? ''),
    personId: e.rowKey,
    self: answerOf(e.self),
    selfNote: e.selfNote || undefined,
    selfAt: e.selfAt || undefined,
    hr: answerOf(e.hr),
    hrAt: e.hrAt || undefined,
  };
}
