import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { submitInBatches } from '../../storage/batch';
import type { TableClientFactory } from '../../storage/table-client-factory';
import { compositeKey } from '../../storage/table-keys';
import { createIfAbsent, deleteIfPresent, findEntity, isChangedSinceRead, tenantRange } from '../../storage/table-ops';
import { pagesOf } from '../data/data.public';
import type { RoleKey } from '../../directory/org.schema';
import type { Answer, Attendance, Training, TrainingKind, TrainingPlan } from './training.schema';

export const TRAINING_TABLES = { trainings: 'trainings', attendance: 'trainingattendance' } as const;

/** The row of each tenant's trainings that every save rewrites, its etag the change mark; `~` is outside the ids' alphabet. */
const CHANGED_ROW = '~changed';

/** A save meets another save of the same training at most a few times before one of them wins. */
const SAVE_ATTEMPTS = 5;

/** trainings: PK = tenant, RK = training id (and CHANGED_ROW). A town registers tens a year: every read is the tenant's one partition. */
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
    const filter = odata`PartitionKey eq ${compositeKey(tenantId)} and RowKey ne ${CHANGED_ROW}`;
    for await (const entity of this.trainings.listEntities<TrainingEntity>({ queryOptions: { filter } })) out.push(toTraining(tenantId, entity));
    return out.sort((a, b) => a.startDay.localeCompare(b.startDay) || a.id.localeCompare(b.id));
  }

  /**
   * Creates or updates from HR's plan; the same plan again changes nothing, so an import can be run
   * twice. Two saves of one training at once (the plan imported twice, a registration racing an
   * import) both succeed: the one whose create finds the row taken (409), or whose update finds it
   * changed (412), reads it again and finds it unchanged, or updates it over what it now read.
   */
  async save(tenantId: string, plan: TrainingPlan, now: Date): Promise<SaveOutcome> {
    const at = now.toISOString();
    for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
      const current = await this.get(tenantId, plan.id);
      const outcome = outcomeOf(current, plan);
      if (outcome === 'unchanged') return outcome;
      const written = current
        ? await this.replaceIfUnchanged(toEntity({ ...current, ...plan, revision: current.revision + 1, updatedAt: at }), current.etag)
        : await createIfAbsent(this.trainings, toEntity({ ...plan, tenantId, revision: 1, invitedRevision: 0, createdAt: at, updatedAt: at }));
      if (written) {
        await this.markChanged(tenantId, at);
        return outcome;
      }
    }
    throw new Error(`training ${plan.id} was changed by others ${SAVE_ATTEMPTS} times while it was being saved`);
  }

  /**
   * What changes whenever a training is saved (the change row's etag), so a reader that keeps the
   * trainings (the schedule, every minute) knows with one point read whether to read them again;
   * undefined until the first save.
   */
  async changeMark(tenantId: string): Promise<string | undefined> {
    return (await findEntity(this.trainings, compositeKey(tenantId), CHANGED_ROW))?.etag;
  }

  private async markChanged(tenantId: string, at: string): Promise<void> {
    await this.trainings.upsertEntity({ partitionKey: compositeKey(tenantId), rowKey: CHANGED_ROW, changedAt: at }, 'Replace');
  }

  private async replaceIfUnchanged(entity: TrainingEntity, etag: string): Promise<boolean> {
    try {
      await this.trainings.updateEntity(entity, 'Replace', { etag });
      return true;
    } catch (error) {
      if (isChangedSinceRead(error)) return false;
      throw error;
    }
  }

  /** A training and every attendance row of it (the data lifecycle's, once its time is over); how many rows went. */
  async deleteWithAttendance(tenantId: string, id: string): Promise<number> {
    let deleted = 0;
    // The attendance first: a run cut short still finds the training, and with it what is left.
    for await (const page of pagesOf(this.attendance, odata`PartitionKey eq ${compositeKey(tenantId, id)}`, { select: [] })) {
      await submitInBatches(
        this.attendance,
        page.map((row): TransactionAction => ['delete', { partitionKey: row.partitionKey, rowKey: row.rowKey }]),
      );
      deleted += page.length;
    }
    return deleted + ((await deleteIfPresent(this.trainings, compositeKey(tenantId), id)) ? 1 : 0);
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
