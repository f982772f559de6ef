import type { Measured } from '../kpi.types';
import type { KpiFormat } from './kpi-format';

export type KpiKey =
  | 'oneonone'
  | 'overtime'
  | 'checkin'
  | 'condition'
  | 'satisfaction'
  | 'nearmiss'
  | 'kudos'
  | 'help'
  | 'paidLeave'
  | 'training'
  | 'ojtPlanned'
  | 'ojtOnTrack'
  | 'engagement';

/** `reference`: the policy sets no figure to reach, the number is there to be read. */
export type KpiStatus = 'met' | 'notMet' | 'unknown' | 'reference';

/** One measure beside its target, already worded: the HTML report's table row and the card's row. */
export interface KpiRow {
  key: KpiKey;
  label: string;
  value: string;
  suppressed: boolean;
  target: string;
  status: KpiStatus;
  statusLabel: string;
  detail: string;
}

/**
 * Rounded the way the figure is printed (0.1 percentage point, halves away from zero like Intl),
 * so a row never reads "100%" beside 未達 or "−10%" beside 未達.
 */
export function asPrinted(ratio: number): number {
  return (Math.sign(ratio) * Math.round(Math.abs(ratio) * 1000)) / 1000;
}

export function judge(value: Measured, met: (printed: number) => boolean): KpiStatus {
  if (value === null || value === undefined) return 'unknown';
  return met(asPrinted(value)) ? 'met' : 'notMet';
}

/** One row, worded; a value hidden or with nothing behind it is greyed like a suppressed one. */
export function kpiRow(f: KpiFormat, key: KpiKey, value: Measured, format: (v: number) => string, rest: Pick<KpiRow, 'target' | 'status' | 'detail'>): KpiRow {
  return {
    key,
    label: f.t(`kpiReport.kpi.${key}`),
    value: f.orMeasured(value, format),
    suppressed: value === null || value === undefined,
    statusLabel: f.t(`kpiReport.status.${rest.status}`),
    ...rest,
  };
}
