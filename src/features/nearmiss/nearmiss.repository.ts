import { setTimeout as sleep } from 'node:timers/promises';
import type { TableClient } from '@azure/data-tables';
import type { TableClientFactory } from '../../storage/table-client-factory';
import { compositeKey } from '../../storage/table-keys';
import { parseReportId, reportId, type NearMiss } from './nearmiss.schema';
import { createIfAbsent, findEntity, isChangedSinceRead, isConflict, tenantRange } from '../../storage/table-ops';

export const NEARMISS_TABLES = { reports: 'nearmisses', counters: 'nearmisscounters', repeats: 'nearmissrepeats', forms: 'nearmissforms' } as const;

/**
 * nearmisses: PK = tenant|fiscal year, RK = the year's sequence number (5 digits). A town files a
 * few hundred a year, so every read (lists, digest, repeats) is one range query over the tenant's
 * partitions. An anonymous row has no reporterId; its times are cut to the hour before they get here.
 */
type ReportEntity = {
  partitionKey: string;
  rowKey: string;
  day: string;
  unit: string;
  anonymous: boolean;
  reporterId: string;
  occurredAt: string;
  category: string;
  impact: number;
  what: string;
  consequence: string;
  cause: string;
  idea: string;
  recipientIds: string;
  status: string;
  acknowledgedBy: string;
  countermeasure: string;
  countermeasureOwner: string;
  decidedBy: string;
  createdAt: string;
  updatedAt: string;
};

/**
 * nearmissforms: PK = tenant, RK = the form's random id -> the report number it filed ('' while the
 * form is claimed but not yet numbered). Makes the same card sent twice one report; holds nothing that
 * leads back to the reporter.
 */
type FormEntity = { partitionKey: string; rowKey: string; reportId: string };

/**
 * nearmisscounters: PK = tenant, RK = fiscal year, `last` = the last number given out and
 * `lastFormId` the form it went to, so that form asking again gets the same number.
 */
type CounterEntity = { partitionKey: string; rowKey: string; last: number; lastFormId?: string };

/** nearmissrepeats: PK = tenant, RK = unit|category|cause, `flaggedDay` = the day its last 繰り返し flag went out. */
type RepeatEntity = { partitionKey: string; rowKey: string; flaggedDay: string };

const ATTEMPTS = 20;

/** How long a copy of a form waits for the copy that claimed it to number it: far longer than numbering takes. */
const CLAIM_PATIENCE_MS = 5_000;
const CLAIM_POLL_MS = 50;

export class NearMissRepository {
  private readonly reports: TableClient;
  private readonly counters: TableClient;
  private readonly forms: TableClient;
  private readonly repeats: TableClient;

  constructor(tables: TableClientFactory) {
    this.reports = tables.table(NEARMISS_TABLES.reports);
    this.counters = tables.table(NEARMISS_TABLES.counters);
    this.forms = tables.table(NEARMISS_TABLES.forms);
    this.repeats = tables.table(NEARMISS_TABLES.repeats);
  }

  /**
   * Takes the right to flag a repeat on `day` unless one was flagged on or after `since`. Create-if-absent
   * (409) and If-Match (412) make it one flag even when the third and fourth reports arrive together.
   */
  async claimRepeatFlag(tenantId: string, key: readonly string[], day: string, since: string): Promise<boolean> {
    const entity: RepeatEntity = { partitionKey: compositeKey(tenantId), rowKey: compositeKey(...key), flaggedDay: day };
    const current = await findEntity<RepeatEntity>(this.repeats, entity.partitionKey, entity.rowKey);
    if (!current) return createIfAbsent(this.repeats, entity);
    if (current.flaggedDay >= since) return false;
    try {
      await this.repeats.updateEntity(entity, 'Replace', { etag: current.etag });
      return true;
    } catch (error) {
      if (isChangedSinceRead(error)) return false;
      throw error;
    }
  }

  /**
   * The next number of the tenant's fiscal year. Create-if-absent (409 = someone else created it)
   * and update-with-etag (412 = someone else took this number): two reports never share a number.
   * With `formId`, a form that took the last number gets it again rather than a new one.
   */
  async nextNumber(tenantId: string, fiscalYear: number, formId?: string): Promise<number> {
    const pk = tenantId;
    const rk = String(fiscalYear);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await findEntity<CounterEntity>(this.counters, pk, rk);
      if (formId !== undefined && current?.lastFormId === formId) return current.last;
      if (!current) {
        if (await createIfAbsent<CounterEntity>(this.counters, { partitionKey: pk, rowKey: rk, last: 1, lastFormId: formId })) return 1;
        continue;
      }
      try {
        const next = current.last + 1;
        await this.counters.updateEntity<CounterEntity>({ partitionKey: pk, rowKey: rk, last: next, lastFormId: formId }, 'Replace', { etag: current.etag });
        return next;
      } catch (error) {
        if (!isChangedSinceRead(error)) throw error;
      }
    }
    throw new Error('near-miss number: too many concurrent reports, try again');
  }

  /** The number a form already filed under, if it did. */
  async filedAs(tenantId: string, formId: string): Promise<string | undefined> {
    return (await findEntity<FormEntity>(this.forms, tenantId, formId))?.reportId || undefined;
  }

  /**
   * The report number a form files under. The form is claimed first (create-if-absent) and only the
   * copy that claimed it takes a number, so a card sent again, even while its first copy is still
   * being filed, takes none of its own: another copy waits for the number. A claim left unnumbered
   * past CLAIM_PATIENCE_MS (its copy died) is taken over; the counter gives a form that took the last
   * number that number again, so even then the year's numbers keep no gap unless a report came between.
   */
  async numberForm(tenantId: string, formId: string, fiscalYear: number): Promise<string> {
    let claim = await this.claimForm(tenantId, formId);
    let waitedMs = 0;
    while (!claim.reportId) {
      if (claim.mine) {
        const id = reportId(fiscalYear, await this.nextNumber(tenantId, fiscalYear, formId));
        if (await this.replaceForm(tenantId, formId, id, claim.etag)) return id;
      } else if (waitedMs >= CLAIM_PATIENCE_MS) {
        const etag = await this.replaceForm(tenantId, formId, '', claim.etag);
        if (etag) {
          claim = { reportId: '', etag, mine: true };
          continue;
        }
      } else {
        await sleep(CLAIM_POLL_MS);
        waitedMs += CLAIM_POLL_MS;
      }
      const seen = claim.etag;
      claim = await this.claimForm(tenantId, formId);
      // Someone wrote the claim since (took it over): they get the full patience too.
      if (claim.etag !== seen) waitedMs = 0;
    }
    return claim.reportId;
  }

  /** The form's row, written unnumbered if it was not there yet (then `mine`). */
  private async claimForm(tenantId: string, formId: string): Promise<{ reportId: string; etag: string; mine: boolean }> {
    for (;;) {
      const form = await findEntity<FormEntity>(this.forms, tenantId, formId);
      if (form) return { reportId: form.reportId, etag: form.etag, mine: false };
      try {
        const created = await this.forms.createEntity<FormEntity>({ partitionKey: tenantId, rowKey: formId, reportId: '' });
        if (!created.etag) throw new Error('table service returned no etag');
        return { reportId: '', etag: created.etag, mine: true };
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
  }

  /** Writes the form's number (or re-claims it with '') unless someone wrote it since `etag`; the new etag, or undefined. */
  private async replaceForm(tenantId: string, formId: string, id: string, etag: string): Promise<string | undefined> {
    try {
      const written = await this.forms.updateEntity<FormEntity>({ partitionKey: tenantId, rowKey: formId, reportId: id }, 'Replace', { etag });
      if (!written.etag) throw new Error('table service returned no etag');
      return written.etag;
    } catch (error) {
      if (isChangedSinceRead(error)) return undefined;
      throw error;
    }
  }

  /** Writes the report; false when a copy of the same form wrote it first. */
  async create(report: NearMiss): Promise<boolean> {
    return createIfAbsent(this.reports, toEntity(report));
  }

  async get(tenantId: string, id: string): Promise<{ report: NearMiss; etag: string } | undefined> {
    const { fiscalYear, seq } = parseReportId(id);
    const entity = await findEntity<ReportEntity>(this.reports, compositeKey(tenantId, String(fiscalYear)), rowKeyOf(seq));
    return entity ? { report: toReport(tenantId, entity), etag: entity.etag } : undefined;
  }

  /** Replaces the report only if nobody changed it since `etag` was read; false when someone did. */
  async replace(report: NearMiss, etag: string): Promise<boolean> {
    try {
      await this.reports.updateEntity(toEntity(report), 'Replace', { etag });
      return true;
    } catch (error) {
      if (isChangedSinceRead(error)) return false;
      throw error;
    }
  }

  /** Every report of the tenant, newest first. */
  async listAll(tenantId: string): Promise<NearMiss[]> {
    const filter = tenantRange(tenantId);
    const out: NearMiss[] = [];
    for await (const entity of this.reports.listEntities<ReportEntity>({ queryOptions: { filter } })) {
      out.push(toReport(tenantId, entity));
    }
    return out.sort((a, b) => b.fiscalYear - a.fiscalYear || b.seq - a.seq);
  }
}

function rowKeyOf(seq: number): string {
  return String(seq).padStart(5, '0');
}

function toEntity(r: NearMiss): ReportEntity {
  return {
    partitionKey: compositeKey(r.tenantId, String(r.fiscalYear)),
    rowKey: rowKeyOf(r.seq),
    day: r.day,
    unit: r.unit,
    anonymous: r.anonymous,
    reporterId: r.anonymous ? '' : (r.reporterId ?? ''),
    occurredAt: r.occurredAt,
    category: r.category,
    impact: r.impact,
    what: r.what,
    consequence: r.consequence ?? '',
    cause: r.cause ?? '',
    idea: r.idea ?? '',
    recipientIds: JSON.stringify(r.recipientIds),
    status: r.status,
    acknowledgedBy: r.acknowledgedBy ?? '',
    countermeasure: r.countermeasure ?? '',
    countermeasureOwner: r.countermeasureOwner ?? '',
    decidedBy: r.decidedBy ?? '',
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function toReport(tenantId: string, e: ReportEntity): NearMiss {
  const fiscalYear = Number(e.partitionKey.split('|').pop());
  const seq = Number(e.rowKey);
  return {
    tenantId,
    id: reportId(fiscalYear, seq),
    fiscalYear,
    seq,
    day: e.day,
    unit: e.unit,
    anonymous: e.anonymous,
    reporterId: e.reporterId || undefined,
    occurredAt: e.occurredAt,
    category: e.category as NearMiss['category'],
    impact: e.impact,
    what: e.what,
    consequence: e.consequence || undefined,
    cause: (e.cause || undefined) as NearMiss['cause'],
    idea: e.idea || undefined,
    recipientIds: JSON.parse(e.recipientIds) as string[],
    status: e.status as NearMiss['status'],
    acknowledgedBy: e.acknowledgedBy || undefined,
    countermeasure: e.countermeasure || undefined,
    countermeasureOwner: e.countermeasureOwner || undefined,
    decidedBy: e.decidedBy || undefined,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}
