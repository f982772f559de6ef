import { DateTime } from 'luxon';
import { ja } from '../../../i18n/catalog-ja';
import { translator, type Locale, type MessageKey, type Translate } from '../../../i18n/i18n';
import { CATEGORIES, IMPACTS } from '../../nearmiss/nearmiss.public';
import { VALUE_KEYS } from '../../kudos/kudos.public';
import type { LocalisedLabel } from '../kpi.policy';
import { MIN_GROUP_SIZE, type Measured, type Period, type ReportScope, type Suppressible } from '../kpi.types';

const NUMBER_LOCALE: Record<Locale, string> = { ja: 'ja-JP', en: 'en-GB' };
/** A true minus sign, as the policy writes its target (−10%), not a hyphen. */
const MINUS = '\u2212';

/** Every figure and label of the report and the card, in one language. */
export interface KpiFormat {
  t: Translate;
  /** 0.875 → 87.5% */
  percent(ratio: number): string;
  /** −0.1 → −10%, 0.05 → +5% */
  signedPercent(ratio: number): string;
  /** Minutes → 12.5時間 */
  hours(minutes: number): string;
  /** 1234 → 1,234件 */
  count(n: number): string;
  /** Plain grouped number, for counts inside a sentence. */
  number(n: number): string;
  /** At most one decimal, none when whole: an axis' 2.5 or 5. */
  decimal(n: number): string;
  /** A 1–5 average → 3.8 / 5 */
  score(average: number): string;
  /** 非表示（3人未満）: what a suppressed figure reads as, never 0. */
  suppressed: string;
  orSuppressed(value: Suppressible, format: (value: number) => string): string;
  /** データなし: a figure with nothing behind it (not rolled up, nobody to measure). */
  noData: string;
  /** As orSuppressed, and データなし for undefined. */
  orMeasured(value: Measured, format: (value: number) => string): string;
  periodLabel(period: Period): string;
  /** 2026年11月24日 */
  date(day: string): string;
  /** A label the survey feature gives in both languages. */
  localised(label: LocalisedLabel): string;
  /** 令和8年度 上期（2026年4月1日〜2026年9月30日） */
  periodWithRange(period: Period): string;
  /** 4月 / Apr: a month on a chart's axis. */
  monthShort(month: string): string;
  scopeLabel(scope: ReportScope): string;
  /** The near-miss feature's 業務区分 label; an unknown key reads as itself. */
  categoryLabel(key: string): string;
  /** The kudos feature's value label; an unknown key reads as itself. */
  valueLabel(key: string): string;
  severityLabel(key: string): string;
}

const isMessageKey = (key: string): key is MessageKey => Object.hasOwn(ja, key);

export function kpiFormatter(locale: Locale): KpiFormat {
  const t = translator(locale);
  const numberLocale = NUMBER_LOCALE[locale];
  const percentFormat = new Intl.NumberFormat(numberLocale, { style: 'percent', maximumFractionDigits: 1 });
  const signedFormat = new Intl.NumberFormat(numberLocale, { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' });
  const oneDecimal = new Intl.NumberFormat(numberLocale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const grouped = new Intl.NumberFormat(numberLocale, { maximumFractionDigits: 0 });
  const upToOneDecimal = new Intl.NumberFormat(numberLocale, { maximumFractionDigits: 1 });
  const labelOr = (key: string, fallback: string): string => (isMessageKey(key) ? t(key) : fallback);
  const monthParams = (dt: DateTime) => ({
    year: dt.year,
    month: dt.month,
    day: dt.day,
    monthName: dt.setLocale('en-GB').toFormat('LLLL'),
    monthShort: dt.setLocale('en-GB').toFormat('LLL'),
  });

  const periodLabel = (period: Period): string => {
    const start = DateTime.fromISO(period.from);
    const fiscalYear = start.month >= 4 ? start.year : start.year - 1;
    // 令和1年 = 2019: the era the town's documents use.
    const year = { year: fiscalYear, reiwa: fiscalYear - 2018 };
    if (period.kind === 'month') return t('kpiReport.period.month', monthParams(start));
    if (period.kind === 'year') return t('kpiReport.period.year', year);
    const half = start.month >= 4 && start.month <= 9 ? t('kpiReport.period.H1') : t('kpiReport.period.H2');
    return t('kpiReport.period.half', { ...year, half });
  };
  const date = (day: string): string => t('kpiReport.period.date', monthParams(DateTime.fromISO(day)));
  const suppressed = t('kpiReport.suppressed', { min: MIN_GROUP_SIZE });

  return {
    t,
    percent: (ratio) => percentFormat.format(ratio),
    signedPercent: (ratio) => signedFormat.format(ratio).replace('-', MINUS),
    hours: (minutes) => t('kpiReport.value.hours', { hours: oneDecimal.format(minutes / 60) }),
    count: (n) => t('kpiReport.value.count', { count: grouped.format(n) }),
    number: (n) => grouped.format(n),
    decimal: (n) => upToOneDecimal.format(n),
    score: (average) => t('kpiReport.value.score', { score: oneDecimal.format(average) }),
    suppressed,
    orSuppressed: (value, format) => (value === null ? suppressed : format(value)),
    noData: t('kpiReport.noData'),
    orMeasured: (value, format) => (value === undefined ? t('kpiReport.noData') : value === null ? suppressed : format(value)),
    periodLabel,
    date,
    localised: (label) => label[locale],
    periodWithRange: (period) => t('kpiReport.period.range', { label: periodLabel(period), from: date(period.from), to: date(period.to) }),
    monthShort: (month) => t('kpiReport.period.monthShort', monthParams(DateTime.fromISO(`${month}-01`))),
    scopeLabel: (scope) => (scope.kind === 'town' ? t('kpiReport.scope.town') : scope.unit),
    categoryLabel: (key) => labelOr(`nearmiss.category.${key}`, key),
    valueLabel: (key) => labelOr(`kudos.value.${key}`, key),
    severityLabel: (key) => labelOr(`nearmiss.impact.${key}`, key),
  };
}

/**
 * A distribution's entries in the order its feature lists them (the near-miss card's 業務区分,
 * the kudos values ①–⑤ then the 志向), then any key this code does not know yet. Only keys the
 * rollups gave are shown: a missing key is not invented as 0.
 */
export function orderedEntries(record: Record<string, Suppressible>, knownOrder: readonly string[]): [string, Suppressible][] {
  const known = knownOrder.filter((key) => Object.hasOwn(record, key));
  const unknown = Object.keys(record).filter((key) => !knownOrder.includes(key));
  return [...known, ...unknown].map((key) => [key, record[key] ?? null]);
}

export const CATEGORY_ORDER: readonly string[] = CATEGORIES;
export const VALUE_ORDER: readonly string[] = VALUE_KEYS;
export const SEVERITY_ORDER: readonly string[] = IMPACTS;
