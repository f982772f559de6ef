import { z } from 'zod';

/** What HR can set, each in months; null = kept for good. */
export const RETENTION_KEYS = [
  'checkinTextMonths',
  'oneononeTextMonths',
  'nearmissTextMonths',
  'outboxMonths',
  'kpiDailyMonths',
  'paidLeaveMonths',
  'trainingMonths',
  'trainingNoteMonths',
] as const;
export type RetentionKey = (typeof RETENTION_KEYS)[number];
export type RetentionSettings = Record<RetentionKey, number | null>;

/**
 * The town's defaults: a check-in's free text is a day's working note, a year is enough; 1on1 texts
 * are evaluation records, kept 5 years after the pair ends; near-miss texts are the safety record
 * and KPI rollups hold no person, both kept. Sent messages copy check-in and 1on1 texts into their
 * cards, so the outbox goes with the check-in texts. HR's paid-leave figures and the training
 * attendance feed the half-year KPIs, which keep their own snapshot per period (kpiperiods): their
 * rows are kept through the fiscal year after theirs (whose report compares against them) and a year
 * more, counted from the end of their fiscal year; the word a person adds on the attendance card is
 * free text like a check-in's, a year.
 */
export const DEFAULT_RETENTION: RetentionSettings = {
  checkinTextMonths: 12,
  oneononeTextMonths: 60,
  nearmissTextMonths: null,
  outboxMonths: 12,
  kpiDailyMonths: null,
  paidLeaveMonths: 24,
  trainingMonths: 24,
  trainingNoteMonths: 12,
};

/**
 * Rows a KPI period is counted from must outlive the next fiscal year, whose report shows last year's
 * figure beside its own: at least 12 months after their fiscal year ends.
 */
export const MIN_RETENTION_MONTHS: Partial<Record<RetentionKey, number>> = { paidLeaveMonths: 12, trainingMonths: 12 };

export const RETENTION_LABELS: Record<RetentionKey, string> = {
  checkinTextMonths: 'チェックインの記入（自由記述）を空にするまで',
  oneononeTextMonths: '1on1 の記入を削除するまで（組の終了から。組の終了が分からなければ面談日から）',
  nearmissTextMonths: 'ヒヤリハットの記述を空にするまで',
  outboxMonths: '送信済みメッセージ（outbox）を削除するまで',
  kpiDailyMonths: 'KPI の日次集計を削除するまで（月・半期・年度の集計は残ります）',
  paidLeaveMonths: '有給休暇（人事の取り込み）を削除するまで（年度末から。KPI の期間の集計は残ります）',
  trainingMonths: '研修と受講記録を削除するまで（研修の開始日の年度末から。KPI の期間の集計は残ります）',
  trainingNoteMonths: '受講確認カードのひとこと（自由記述）を空にするまで',
};

/** Up to a century: long enough for any rule a town writes, short enough to catch a typo of digits. */
export const MAX_MONTHS = 1200;
export const KEEP = 'keep';

const months = z
  .string()
  .trim()
  .refine((v) => v === KEEP || /^\d+$/.test(v), { message: `1〜${MAX_MONTHS} の月数か ${KEEP}（削除しない）を指定してください` })
  .transform((v) => (v === KEEP ? null : Number(v)))
  .refine((v) => v === null || (v >= 1 && v <= MAX_MONTHS), { message: `1〜${MAX_MONTHS} の月数か ${KEEP}（削除しない）を指定してください` });

const setSchema = z.strictObject(
  Object.fromEntries(RETENTION_KEYS.map((key) => [key, months.optional()])) as Record<RetentionKey, z.ZodOptional<typeof months>>,
);

export type ParsedSet = { ok: true; values: Partial<RetentionSettings> } | { ok: false; problems: string[] };

/**
 * Reads `checkinTextMonths=12,nearmissTextMonths=keep`. Every problem is one line naming its key,
 * so HR sees all of them at once; nothing is saved unless every key is good.
 */
export function parseRetentionSet(text: string): ParsedSet {
  const problems: string[] = [];
  const raw: Record<string, string> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = part.indexOf('=');
    if (at <= 0) {
      problems.push(`${part}: 「項目=値」の形で指定してください`);
      continue;
    }
    const key = part.slice(0, at).trim();
    if (key in raw) problems.push(`${key}: 2 回指定されています`);
    raw[key] = part.slice(at + 1);
  }
  if (Object.keys(raw).length === 0 && problems.length === 0) problems.push(`--set: 変更する項目がありません（例: checkinTextMonths=12）`);
  const parsed = setSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) problems.push(`${key}: 知らない項目です（指定できるのは ${RETENTION_KEYS.join(', ')}）`);
      } else {
        const key = String(issue.path[0] ?? '');
        problems.push(`${key}: ${issue.message}（"${raw[key] ?? ''}" が指定されました）`);
      }
    }
  }
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  const values = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as Partial<RetentionSettings>;
  for (const key of RETENTION_KEYS) {
    const min = MIN_RETENTION_MONTHS[key];
    const value = values[key];
    if (min !== undefined && typeof value === 'number' && value < min)
      problems.push(`${key}: 前年度との比較に使うため ${min} か月以上か ${KEEP}（削除しない）を指定してください（"${raw[key] ?? ''}" が指定されました）`);
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, values };
}

/** How a setting reads to HR. */
export function describeMonths(value: number | null): string {
  if (value === null) return '削除しない';
  if (value % 12 === 0) return `${value / 12} 年（${value} か月）`;
  return `${value} か月`;
}
