import type { MessageKey, Translate } from '../../i18n/i18n';
import type { KudosRecord, PlusEntry } from '../kudos/kudos.public';
import type { Person } from '../../directory/org.schema';
import { toExcelCsv } from './kpi.csv';
import { KUDOS_VALUE_KEYS } from './kpi.figures';
import type { Period } from './kpi.types';

/** Counts by value of what one person received, and the total. */
function tally(values: readonly string[]): (string | number)[] {
  return [values.length, ...KUDOS_VALUE_KEYS.map((k) => values.filter((v) => v === k).length)];
}

/**
 * HR's file for the evaluation talk: per person, the kudos received in the period and the プラス評価
 * their managers recorded, counted by value. Only counts: no message, no sender.
 */
export function kudosCsv(period: Period, directory: readonly Person[], kudos: readonly KudosRecord[], plus: readonly PlusEntry[], t: Translate): string {
  const inPeriod = <T extends { day: string }>(items: readonly T[]): T[] => items.filter((i) => i.day >= period.from && i.day <= period.to);
  const received = new Map<string, string[]>();
  for (const k of inPeriod(kudos)) received.set(k.recipientId, [...(received.get(k.recipientId) ?? []), k.value]);
  const evaluated = new Map<string, string[]>();
  for (const p of inPeriod(plus)) evaluated.set(p.memberId, [...(evaluated.get(p.memberId) ?? []), p.value]);
  const people = directory
    .filter((p) => p.active || received.has(p.id) || evaluated.has(p.id))
    .sort((a, b) => (a.unit ?? '').localeCompare(b.unit ?? '', 'ja') || a.id.localeCompare(b.id));
  const label = (key: string): string => t(key as MessageKey);
  const header = [
    t('kpi.kudosCsv.id'),
    t('kpi.kudosCsv.name'),
    t('kpi.kudosCsv.unit'),
    t('kpi.kudosCsv.role'),
    t('kpi.kudosCsv.status'),
    t('kpi.kudosCsv.kudosTotal'),
    ...KUDOS_VALUE_KEYS.map((k) => t('kpi.kudosCsv.kudosValue', { label: label(`kudos.value.${k}`) })),
    t('kpi.kudosCsv.plusTotal'),
    ...KUDOS_VALUE_KEYS.map((k) => t('kpi.kudosCsv.plusValue', { label: label(`kudos.value.${k}`) })),
  ];
  const records = people.map((p) => [
    p.id,
    p.name,
    p.unit ?? '',
    label(`role.${p.role}`),
    t(p.active ? 'kpi.kudosCsv.active' : 'kpi.kudosCsv.inactive'),
    ...tally(received.get(p.id) ?? []),
    ...tally(evaluated.get(p.id) ?? []),
  ]);
  return toExcelCsv(header, records);
}
