import { DateTime } from 'luxon';
import type { Translate } from '../../i18n/i18n';
import { readForm, typedValues, type FormState } from '../../shared/card-form';
import { resolveEscalation } from '../../directory/escalation';
import type { Person, RoleKey } from '../../directory/org.schema';
import { HANDLER_CATEGORIES, REPORT_FIELDS, reportSubmitSchema, type Category, type NearMiss, type ReportSubmit } from './nearmiss.schema';

const TOKYO = 'Asia/Tokyo';

export type FormReading = { ok: true; data: ReportSubmit; occurredAt: Date } | ({ ok: false } & FormState);

/** Reads the report card; a time after `now` is refused like any other bad field. */
export function readReport(value: unknown, now: Date, t: Translate): FormReading {
  const reading = readForm(reportSubmitSchema, value, REPORT_FIELDS, t);
  if (!reading.ok) return reading;
  const occurredAt = DateTime.fromISO(`${reading.data.date}T${reading.data.time}`, { zone: TOKYO }).toJSDate();
  if (occurredAt.getTime() > now.getTime()) return { ok: false, values: typedValues(value, REPORT_FIELDS), errors: { date: t('nearmiss.error.future') } };
  return { ok: true, data: reading.data, occurredAt };
}

/** An anonymous report keeps the hour only: a minute would match the log of whoever was online then. */
export function toHour(at: Date): string {
  return DateTime.fromJSDate(at).setZone(TOKYO).startOf('hour').toISO() as string;
}

function unique(people: readonly Person[]): Person[] {
  return people.filter((p, i) => people.findIndex((q) => q.id === p.id) === i);
}

/** The 主任/主査 nearest the reporter: up their own line, then their group, then their unit. */
function nearestHandler(reporter: Person, directory: readonly Person[]): Person | undefined {
  const candidates = directory.filter((p) => p.active && p.id !== reporter.id && p.unit === reporter.unit && (p.role === 'senior' || p.role === 'lead'));
  const byId = new Map(directory.map((p) => [p.id, p]));
  const seen = new Set<string>();
  for (let next = byId.get(reporter.managerId ?? ''); next && !seen.has(next.id); next = byId.get(next.managerId ?? '')) {
    seen.add(next.id);
    if (candidates.some((c) => c.id === next?.id)) return next;
  }
  const order: RoleKey[] = ['senior', 'lead'];
  const inGroup = candidates.filter((p) => reporter.group !== undefined && p.group === reporter.group);
  for (const pool of [inGroup, candidates]) {
    for (const role of order) {
      const found = pool.find((p) => p.role === role);
      if (found) return found;
    }
  }
  return undefined;
}

export interface RoutingInput {
  category: Category;
  impact: number;
  anonymous: boolean;
}

/**
 * Who receives a report. Named: the escalation table's answer for the reporter's role; 個人情報 and
 * 金銭・会計 add a 主任/主査 of the unit when none is among them (the roles the policy gives that
 * handling to); 影響度 ≥ 3 adds the unit's 課長; 4 adds HR and the executives. Anonymous: the unit's
 * 課長 (and HR at 4) only, since anything finer would point at the reporter's place in the line.
 */
export function routeReport(report: RoutingInput, reporter: Person, directory: readonly Person[]): Person[] {
  const active = directory.filter((p) => p.active);
  const managers = active.filter((p) => p.role === 'manager' && p.unit !== undefined && p.unit === reporter.unit);
  const hr = active.filter((p) => p.hr);
  if (report.anonymous) {
    const base = managers.length > 0 ? managers : hr;
    return unique(report.impact >= 4 ? [...base, ...hr] : base);
  }
  const others = (people: readonly Person[]): Person[] => people.filter((p) => p.id !== reporter.id);
  const out = [...resolveEscalation(reporter, directory)];
  if (HANDLER_CATEGORIES.includes(report.category) && !out.some((p) => p.unit === reporter.unit && (p.role === 'senior' || p.role === 'lead'))) {
    const handler = nearestHandler(reporter, directory);
    if (handler) out.push(handler);
  }
  if (report.impact >= 3) out.push(...others(managers));
  if (report.impact >= 4) out.push(...others(hr), ...others(active.filter((p) => p.role === 'executive')));
  // Nobody in the table's roles (a tiny unit): the unit's 課長, then HR, so a report never goes nowhere.
  if (out.length === 0) out.push(...others(managers.length > 0 ? managers : hr));
  return unique(out);
}

/** Recipients and HR see the reports routed to them / all; a named reporter sees their own. */
export function canRead(report: NearMiss, person: Person): boolean {
  return person.hr || report.recipientIds.includes(person.id) || (report.reporterId !== undefined && report.reporterId === person.id);
}

/** Only those the report was routed to act on it: HR reads everything but decides only where routed. */
export function canAct(report: NearMiss, person: Person): boolean {
  return report.recipientIds.includes(person.id);
}
