import type { Translate } from '../../i18n/i18n';
import type { Person } from '../../directory/org.schema';
import { formatPaidLeaveErrors, parsePaidLeaveCsv, type PaidLeaveCsvError, type PaidLeaveCsvRow } from './paidleave.csv';
import type { PaidLeaveRepository } from './paidleave.repository';
import { fiscalYearLabel, type PaidLeaveGrant } from './paidleave.schema';

/** A line whose person the directory does not hold: listed for HR, never matched to someone by a guess. */
export interface UnknownPerson {
  line: number;
  who: string;
}

export interface MatchedRows {
  grants: (PaidLeaveGrant & { line: number })[];
  unknown: UnknownPerson[];
  errors: PaidLeaveCsvError[];
}

/**
 * Finds each line's person in the directory (people who left included: their year still counts) by
 * 職員番号, else by メールアドレス. A line giving both must name one person. One person twice in a
 * year is an error: which line should win is HR's call.
 */
export function matchPeople(rows: readonly PaidLeaveCsvRow[], people: readonly Person[], importedAt: string, t: Translate): MatchedRows {
  const byId = new Map(people.map((p) => [p.id, p]));
  const byEmail = new Map(people.filter((p) => p.email).map((p) => [p.email!.toLowerCase(), p]));
  const out: MatchedRows = { grants: [], unknown: [], errors: [] };
  const firstLine = new Map<string, number>();
  for (const row of rows) {
    const person = row.personId !== undefined ? byId.get(row.personId) : byEmail.get(row.email ?? '');
    if (!person) {
      out.unknown.push({ line: row.line, who: row.personId ?? row.email ?? '' });
      continue;
    }
    if (row.personId !== undefined && row.email !== undefined && person.email?.toLowerCase() !== row.email) {
      out.errors.push({ line: row.line, column: t('paidleave.column.email'), message: t('paidleave.error.emailOfOther', { email: row.email, id: person.id }) });
      continue;
    }
    const key = `${row.fiscalYear}|${person.id}`;
    const first = firstLine.get(key);
    if (first !== undefined) {
      out.errors.push({ line: row.line, message: t('paidleave.error.duplicate', { who: person.id, year: fiscalYearLabel(row.fiscalYear, t), first }) });
      continue;
    }
    firstLine.set(key, row.line);
    out.grants.push({
      line: row.line,
      fiscalYear: row.fiscalYear,
      personId: person.id,
      grantedDays: row.grantedDays,
      takenDays: row.takenDays,
      takenAsOf: row.takenAsOf,
      importedAt,
    });
  }
  return out;
}

export interface YearCounts {
  fiscalYear: number;
  created: number;
  updated: number;
  unchanged: number;
}

export type PaidLeaveImportOutcome =
  { ok: false; report: string } | { ok: true; grants: PaidLeaveGrant[]; unknown: UnknownPerson[]; years: YearCounts[]; applied: boolean };

const sameFigures = (a: PaidLeaveGrant, b: PaidLeaveGrant): boolean =>
  a.grantedDays === b.grantedDays && a.takenDays === b.takenDays && a.takenAsOf === b.takenAsOf;

export interface PaidLeaveImportDeps {
  grants: PaidLeaveRepository;
  listPeople(tenantId: string): Promise<Person[]>;
}

/**
 * All or nothing: any bad line and nothing is written, every problem reported with its line. Lines
 * whose person is not in the directory are left out and listed. Without `apply` it only says what
 * an import would change.
 */
export async function importPaidLeaveCsv(
  deps: PaidLeaveImportDeps,
  tenantId: string,
  text: string,
  options: { t: Translate; today: string; now: Date; apply: boolean },
): Promise<PaidLeaveImportOutcome> {
  const { t } = options;
  const parsed = parsePaidLeaveCsv(text, t, options.today);
  if (!parsed.ok) return { ok: false, report: formatPaidLeaveErrors(parsed.errors, t) };
  const matched = matchPeople(parsed.rows, await deps.listPeople(tenantId), options.now.toISOString(), t);
  if (matched.errors.length > 0) return { ok: false, report: formatPaidLeaveErrors(matched.errors, t) };

  const grants = matched.grants.map(({ line: _line, ...grant }) => grant);
  const years: YearCounts[] = [];
  for (const fiscalYear of [...new Set(grants.map((g) => g.fiscalYear))].sort()) {
    const stored = new Map((await deps.grants.listYear(tenantId, fiscalYear)).map((g) => [g.personId, g]));
    const counts: YearCounts = { fiscalYear, created: 0, updated: 0, unchanged: 0 };
    for (const grant of grants.filter((g) => g.fiscalYear === fiscalYear)) {
      const before = stored.get(grant.personId);
      if (!before) counts.created += 1;
      else if (sameFigures(before, grant)) counts.unchanged += 1;
      else counts.updated += 1;
    }
    years.push(counts);
  }
  if (options.apply) await deps.grants.replace(tenantId, grants);
  return { ok: true, grants, unknown: matched.unknown, years, applied: options.apply };
}

/** What the command line prints after a run that read the file. */
export function formatImportOutcome(outcome: Extract<PaidLeaveImportOutcome, { ok: true }>, tenantId: string, t: Translate): string {
  const lines = [t(outcome.applied ? 'paidleave.import.applied' : 'paidleave.import.planned', { tenant: tenantId })];
  for (const year of outcome.years)
    lines.push(
      t('paidleave.import.yearLine', { year: fiscalYearLabel(year.fiscalYear, t), created: year.created, updated: year.updated, unchanged: year.unchanged }),
    );
  if (outcome.years.length === 0) lines.push(t('paidleave.import.noRows'));
  if (outcome.unknown.length > 0) {
    lines.push(t('paidleave.import.unknownTitle', { count: outcome.unknown.length }));
    for (const u of outcome.unknown) lines.push(t('paidleave.import.unknownLine', { line: u.line, who: u.who }));
  }
  if (!outcome.applied && outcome.years.length > 0) lines.push(t('paidleave.import.applyHint'));
  return lines.join('\n');
}
