import { stringify } from 'csv-stringify/sync';
import type { Locale, MessageKey, Translate } from '../../i18n/i18n';
import { ROLE_KEYS } from '../../directory/org.schema';
import { pairsOnTimeIn } from './kpi.aggregate';
import type { DecodedRow } from './kpi.entity';
import {
  averageOf,
  completionRateOf,
  KUDOS_VALUE_KEYS,
  NEARMISS_CATEGORY_KEYS,
  NEARMISS_IMPACT_KEYS,
  overtimeAverageOf,
  type Distribution,
  type Mean,
} from './kpi.figures';
import type { SurveySummary } from './kpi.policy';
import { leaveMeasured, ojtOnTrackMeasured, ojtPlannedMeasured, trainingMeasured, type PolicyFigures } from './kpi.policy-figures';
import { surveyCsv } from './kpi.survey-csv';
import { MIN_GROUP_SIZE, type Measured, type Period } from './kpi.types';

/** A period and its rows (town, 課, 役職) as kpiperiods holds them. */
export interface ExportSection {
  period: Period;
  rows: readonly DecodedRow[];
  /** The staff survey closed within the period, when a survey source is wired. */
  survey?: SurveySummary;
}

type Cell = string | number;

/** 令和8年度 上期, 2026年5月: how HR names periods. */
export function periodName(period: Period, t: Translate): string {
  const year = Number(period.from.slice(0, 4));
  if (period.kind === 'month') return t('kpi.periodName.month', { year, month: Number(period.from.slice(5, 7)) });
  const params = { reiwa: year - 2018, year };
  if (period.kind === 'year') return t('kpi.periodName.year', params);
  return t(period.id.endsWith('H1') ? 'kpi.periodName.H1' : 'kpi.periodName.H2', params);
}

/**
 * Excel opens UTF-8 as Shift_JIS unless the file starts with a BOM; with it, Japanese headers and
 * unit names read as they should. Windows line ends for the same reader.
 */
export function toExcelCsv(header: readonly string[], records: readonly Cell[][]): string {
  return stringify([header, ...records], { bom: true, record_delimiter: 'windows' });
}

const fixed = (n: number, digits: number): string => n.toFixed(digits);
const percent = (ratio: number): string => fixed(ratio * 100, 1);

/** The order HR reads a period in: the town, its 課 in Japanese order, then the roles from 課長 down. */
function ordered(rows: readonly DecodedRow[]): DecodedRow[] {
  const roleIndex = (role: string | undefined): number => {
    const i = ROLE_KEYS.indexOf(role as (typeof ROLE_KEYS)[number]);
    return i < 0 ? ROLE_KEYS.length : i;
  };
  const levelIndex = { town: 0, unit: 1, role: 2 } as const;
  return [...rows].sort(
    (a, b) =>
      levelIndex[a.key.level] - levelIndex[b.key.level] ||
      (a.key.unit ?? '').localeCompare(b.key.unit ?? '', 'ja') ||
      roleIndex(a.key.role) - roleIndex(b.key.role),
  );
}

export function kpiCsvHeader(t: Translate): string[] {
  const label = (key: string): string => t(key as MessageKey);
  return [
    ...(['period', 'periodName', 'periodKind', 'level', 'unit', 'role', 'days', 'members'] as const).map((k) => t(`kpi.csv.${k}`)),
    ...(['promptsMorning', 'answeredMorning', 'promptsEvening', 'answeredEvening', 'checkinRate', 'helpRequested', 'helpTaken'] as const).map((k) =>
      t(`kpi.csv.${k}`),
    ),
    ...(['conditionCount', 'conditionAverage', 'satisfactionCount', 'satisfactionAverage'] as const).map((k) => t(`kpi.csv.${k}`)),
    ...(['overtimePeople', 'overtimeMinutes', 'overtimeAverage', 'overtimeMonthly'] as const).map((k) => t(`kpi.csv.${k}`)),
    ...(['oneononeHeld', 'oneononePairs', 'oneononeOnTime', 'oneononeRate', 'nearmissTotal'] as const).map((k) => t(`kpi.csv.${k}`)),
    ...NEARMISS_CATEGORY_KEYS.map((k) => t('kpi.csv.nearmissCategory', { label: label(`nearmiss.category.${k}`) })),
    ...NEARMISS_IMPACT_KEYS.map((k) => t('kpi.csv.nearmissImpact', { label: label(`nearmiss.impact.${k}`) })),
    t('kpi.csv.kudosTotal'),
    ...KUDOS_VALUE_KEYS.map((k) => t('kpi.csv.kudosValue', { label: label(`kudos.value.${k}`) })),
    ...POLICY_HEADERS.map((k) => t(`kpi.csv.${k}`)),
  ];
}

const POLICY_HEADERS = [
  'leavePeople',
  'leaveGranted',
  'leaveTaken',
  'leaveRate',
  'trainingPeople',
  'trainingCompleted',
  'trainingRate',
  'ojtJuniors',
  'ojtPlanned',
  'ojtPlannedRate',
  'ojtOnTrack',
  'ojtOnTrackRate',
] as const;

/** Half days are real (半日休暇): a day count keeps its one decimal when it has one. */
const days = (n: number): string => String(Math.round(n * 10) / 10);

/**
 * The 有給休暇 / 研修 / OJT cells: empty on a row rolled up without those sources, 非表示 for a
 * suppressed group, a rate empty when nobody is behind it.
 */
function policyCells(p: PolicyFigures | undefined, hidden: string): Cell[] {
  if (!p) return POLICY_HEADERS.map(() => '');
  const rate = (m: Measured): Cell => (m === undefined ? '' : m === null ? hidden : percent(m));
  const group = (suppressed: boolean, cells: Cell[]): Cell[] => (suppressed ? cells.map(() => hidden) : cells);
  return [
    ...group(p.leave.suppressed, [p.leave.people, days(p.leave.grantedDays), days(p.leave.takenDays), rate(leaveMeasured(p))]),
    ...group(p.training.suppressed, [p.training.people, p.training.completed, rate(trainingMeasured(p))]),
    ...group(p.ojt.suppressed, [p.ojt.juniors, p.ojt.planned, rate(ojtPlannedMeasured(p)), p.ojt.onTrack, rate(ojtOnTrackMeasured(p))]),
  ];
}

/**
 * One line per period (the period itself, then each month) and group, then the survey's role groups
 * (職層) of a period with a survey; a suppressed figure reads 非表示, one with no data is empty.
 */
export function kpiCsv(sections: readonly ExportSection[], t: Translate, locale: Locale = 'ja'): string {
  const hidden = t('kpi.csv.suppressed');
  const survey = surveyCsv(
    sections.map((s) => s.survey),
    t,
    locale,
  );
  const base = (period: Period): Cell[] => [period.id, periodName(period, t), t(`kpi.kind.${period.kind}`)];
  const width = kpiCsvHeader(t).length;
  const roleGroupLines = ({ period, survey: summary }: ExportSection): Cell[][] =>
    survey.roleGroupLines(summary).map(([level, group, cells]) => {
      const head = [...base(period), level, '', group];
      return [...head, ...Array.from({ length: width - head.length }, () => ''), ...cells];
    });
  const mean = (m: Mean): Cell[] => (m.suppressed ? [hidden, hidden] : [m.count, m.count === 0 ? '' : fixed(averageOf(m) ?? 0, 2)]);
  const counts = (d: Distribution | undefined, keys: readonly string[]): Cell[] =>
    keys.map((k) => (d === undefined ? '' : d.suppressed ? hidden : (d.counts[k] ?? 0)));
  const records = sections.flatMap((section) => [
    ...ordered(section.rows).map((row): Cell[] => {
      const period = section.period;
      const f = row.figures;
      const prompts = f.promptsMorning + f.promptsEvening;
      const o = f.oneonone;
      const onTime = pairsOnTimeIn(o, period.kind);
      const rate = completionRateOf(o.pairs, onTime);
      const monthly = row.overtimeMonthlyAverage;
      return [
        period.id,
        periodName(period, t),
        t(`kpi.kind.${period.kind}`),
        t(`kpi.level.${row.key.level}`),
        row.key.level === 'unit' ? row.key.unit || t('kpi.unit.none') : '',
        row.key.level === 'role' ? (row.key.role ? t(`role.${row.key.role}` as MessageKey) : t('kpi.role.unknown')) : '',
        row.days,
        f.members,
        f.promptsMorning,
        f.answeredMorning,
        f.promptsEvening,
        f.answeredEvening,
        prompts === 0 ? '' : f.members < MIN_GROUP_SIZE ? hidden : percent((f.answeredMorning + f.answeredEvening) / prompts),
        f.helpRequested,
        f.helpTaken,
        ...mean(f.condition),
        ...mean(f.satisfaction),
        ...(f.overtime.suppressed
          ? [hidden, hidden, hidden, hidden]
          : [
              f.overtime.people,
              f.overtime.minutes,
              f.overtime.people === 0 ? '' : fixed(overtimeAverageOf(f.overtime) ?? 0, 2),
              monthly === null ? '' : fixed(monthly, 2),
            ]),
        o.held,
        o.pairs,
        onTime,
        o.pairs === 0 ? '' : rate === null ? hidden : percent(rate),
        f.nearmiss ? f.nearmiss.byCategory.total : '',
        ...counts(f.nearmiss?.byCategory, NEARMISS_CATEGORY_KEYS),
        ...counts(f.nearmiss?.byImpact, NEARMISS_IMPACT_KEYS),
        f.kudos.total,
        ...counts(f.kudos, KUDOS_VALUE_KEYS),
        ...policyCells(row.policy, hidden),
        ...survey.cells(section.survey, row),
      ];
    }),
    ...roleGroupLines(section),
  ]);
  return toExcelCsv([...kpiCsvHeader(t), ...survey.header], records);
}
