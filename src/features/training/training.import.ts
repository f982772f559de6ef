import { DateTime } from 'luxon';
import { z } from 'zod';
import { ROLE_LABELS_JA, type Person, type RoleKey } from '../../directory/org.schema';
import { roleOfCell } from '../../directory/org-csv';
import { trainingIdSchema, type Answer, type Training, type TrainingKind, type TrainingPlan } from './training.schema';
import { trainingPlanOf } from './training.service';
import { loose, type SheetColumn, type SheetError, type SheetRow } from './training.sheet';

export const TRAINING_COLUMNS: readonly SheetColumn[] = [
  { field: 'id', label: '研修ID', aliases: ['id', 'trainingId'] },
  { field: 'name', label: '研修名', aliases: ['name'] },
  { field: 'start', label: '開始日', aliases: ['start', 'startDay', '日付', '実施日'] },
  { field: 'end', label: '終了日', aliases: ['end', 'endDay'] },
  { field: 'kind', label: '区分', aliases: ['kind'] },
  { field: 'units', label: '対象課', aliases: ['units', '課', '対象所属'] },
  { field: 'roles', label: '対象役職', aliases: ['roles', '役職'] },
  { field: 'required', label: '必須', aliases: ['required'] },
];

export const ATTENDANCE_COLUMNS: readonly SheetColumn[] = [
  { field: 'trainingId', label: '研修ID', aliases: ['id', 'trainingId'] },
  { field: 'name', label: '研修名', aliases: ['name'] },
  { field: 'start', label: '開始日', aliases: ['start', 'startDay', '日付', '実施日'] },
  { field: 'personId', label: '職員番号', aliases: ['職員', 'personId', 'staffId'] },
  { field: 'answer', label: '受講', aliases: ['answer', '受講状況'] },
];

const KIND_BY_CELL = new Map<string, TrainingKind>([
  ...['off-jt', 'offjt', 'off jt', '職場外研修', '庁内研修'].map((c): [string, TrainingKind] => [loose(c), 'offjt']),
  ...['外部', '外部研修', 'external'].map((c): [string, TrainingKind] => [loose(c), 'external']),
]);
const YES = new Set(['はい', '○', '〇', '◯', 'yes', 'true', '1', '必須'].map(loose));
const NO = new Set(['いいえ', '×', 'no', 'false', '0', '任意'].map(loose));
const ATTENDED = new Set(['済', '受講済', '受講済み', '○', '〇', '◯', 'はい', 'attended', 'yes'].map(loose));
const MISSED = new Set(['未', '未受講', '欠席', '×', 'いいえ', 'missed', 'no'].map(loose));

/** Several 課 or 役職 in one cell: 住民課・総務課, 住民課;総務課 (、 and , too). */
function listOf(cell: string): string[] {
  return cell
    .split(/[・;；、,，]/)
    .map((s) => s.normalize('NFKC').trim())
    .filter(Boolean);
}

/** 2026-11-24, 2026/11/24 or 2026/1/5 (as Excel writes dates) → 2026-11-24. */
const daySchema = z
  .string()
  .trim()
  .min(1, { error: '日付を入れてください' })
  .transform((cell, ctx) => {
    const match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(cell.normalize('NFKC'));
    const dt = match ? DateTime.fromObject({ year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) }) : undefined;
    if (!dt?.isValid) {
      ctx.addIssue({ code: 'custom', message: `日付ではありません（例: 2026-11-24 または 2026/11/24）: ${cell}` });
      return z.NEVER;
    }
    return dt.toISODate() as string;
  });

function trainingRowSchema(knownUnits: ReadonlySet<string>) {
  return z
    .object({
      id: z.union([z.literal(''), trainingIdSchema], { error: '研修IDは半角英数字・「-」・「_」で64文字までです' }).optional(),
      name: z.string().trim().min(1, { error: '研修名を入れてください' }).max(100, { error: '研修名は100文字までです' }),
      start: daySchema,
      end: z.union([z.literal(''), daySchema]).optional(),
      kind: z.string().transform((cell, ctx) => {
        const kind = KIND_BY_CELL.get(loose(cell));
        if (!kind) ctx.addIssue({ code: 'custom', message: `「Off-JT」か「外部」にしてください: ${cell}` });
        return kind as TrainingKind;
      }),
      units: z
        .string()
        .optional()
        .transform((cell, ctx) => {
          const units = listOf(cell ?? '');
          for (const unit of units.filter((u) => !knownUnits.has(u)))
            ctx.addIssue({ code: 'custom', message: `名簿にない課です: ${unit}（課: ${[...knownUnits].join('・')}）` });
          return [...new Set(units)];
        }),
      roles: z
        .string()
        .optional()
        .transform((cell, ctx) => {
          const roles: RoleKey[] = [];
          for (const label of listOf(cell ?? '')) {
            const role = roleOfCell(label);
            if (!role || role === 'executive')
              ctx.addIssue({
                code: 'custom',
                message: `役職ではありません: ${label}（役職: ${Object.values(ROLE_LABELS_JA)
                  .filter((l) => l !== ROLE_LABELS_JA.executive)
                  .join('・')}）`,
              });
            else if (!roles.includes(role)) roles.push(role);
          }
          return roles;
        }),
      required: z.string().transform((cell, ctx) => {
        if (YES.has(loose(cell))) return true;
        if (!NO.has(loose(cell))) ctx.addIssue({ code: 'custom', message: `「はい」か「いいえ」にしてください: ${cell}` });
        return false;
      }),
    })
    .refine((row) => !row.end || row.end >= row.start, { error: '終了日が開始日より前です', path: ['end'] });
}

const labelOf = (columns: readonly SheetColumn[], field: string): string | undefined => columns.find((c) => c.field === field)?.label;

function issuesOf(error: z.ZodError, where: string, columns: readonly SheetColumn[]): SheetError[] {
  return error.issues.map((issue) => {
    const field = String(issue.path[0] ?? '');
    const message = issue.code === 'invalid_type' ? `${labelOf(columns, field) ?? field}を入れてください` : issue.message;
    return { where, column: labelOf(columns, field), message };
  });
}

export type Reading<T> = { ok: true; items: T[] } | { ok: false; errors: SheetError[] };

/** Every row checked, every problem reported with its row; the plan only when there is none. */
export function readTrainingRows(rows: readonly SheetRow[], directory: readonly Person[]): Reading<TrainingPlan & { where: string }> {
  const schema = trainingRowSchema(new Set(directory.filter((p) => p.active && p.unit).map((p) => p.unit as string)));
  const errors: SheetError[] = [];
  const items: (TrainingPlan & { where: string })[] = [];
  const seen = new Map<string, string>();
  if (rows.length === 0) return { ok: false, errors: [{ where: 'ファイル', message: 'データ行がありません' }] };
  for (const row of rows) {
    const parsed = schema.safeParse(row.cells);
    if (!parsed.success) {
      errors.push(...issuesOf(parsed.error, row.where, TRAINING_COLUMNS));
      continue;
    }
    const plan = trainingPlanOf(parsed.data);
    const earlier = seen.get(plan.id);
    if (earlier) {
      errors.push({ where: row.where, column: '研修ID', message: `${earlier}と同じ研修です（${plan.id}）` });
      continue;
    }
    seen.set(plan.id, row.where);
    items.push({ where: row.where, ...plan });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, items };
}

const attendanceRowSchema = z
  .object({
    trainingId: z.string().trim().optional(),
    name: z.string().trim().optional(),
    start: z.union([z.literal(''), daySchema]).optional(),
    personId: z.string().trim().min(1, { error: '職員番号を入れてください' }),
    answer: z.string().transform((cell, ctx): Answer => {
      if (ATTENDED.has(loose(cell))) return 'attended';
      if (!MISSED.has(loose(cell))) ctx.addIssue({ code: 'custom', message: `「済」か「未」にしてください: ${cell}` });
      return 'missed';
    }),
  })
  .refine((row) => row.trainingId || (row.name && row.start), { error: '研修ID、または研修名と開始日を入れてください', path: ['trainingId'] });

export interface AttendanceRecord {
  where: string;
  trainingId: string;
  personId: string;
  answer: Answer;
}

/** HR's sign-in sheet: each row names a registered training and a person of the directory. */
export function readAttendanceRows(rows: readonly SheetRow[], trainings: readonly Training[], directory: readonly Person[]): Reading<AttendanceRecord> {
  const people = new Set(directory.map((p) => p.id));
  const byId = new Map(trainings.map((t) => [t.id, t]));
  const byNameAndDay = new Map(trainings.map((t) => [`${loose(t.name)}|${t.startDay}`, t]));
  const errors: SheetError[] = [];
  const items: AttendanceRecord[] = [];
  const seen = new Map<string, string>();
  if (rows.length === 0) return { ok: false, errors: [{ where: 'ファイル', message: 'データ行がありません' }] };
  for (const row of rows) {
    const parsed = attendanceRowSchema.safeParse(row.cells);
    if (!parsed.success) {
      errors.push(...issuesOf(parsed.error, row.where, ATTENDANCE_COLUMNS));
      continue;
    }
    const r = parsed.data;
    const training = r.trainingId ? byId.get(r.trainingId) : byNameAndDay.get(`${loose(r.name ?? '')}|${r.start ?? ''}`);
    const personId = r.personId.normalize('NFKC');
    const rowErrors: SheetError[] = [];
    if (!training)
      rowErrors.push({
        where: row.where,
        column: r.trainingId ? '研修ID' : '研修名',
        message: `登録されていない研修です: ${r.trainingId || `${r.name} ${r.start}`}`,
      });
    if (!people.has(personId)) rowErrors.push({ where: row.where, column: '職員番号', message: `名簿にない職員番号です: ${personId}` });
    if (!training || rowErrors.length > 0) {
      errors.push(...rowErrors);
      continue;
    }
    const key = `${training.id}|${personId}`;
    const earlier = seen.get(key);
    if (earlier) {
      errors.push({ where: row.where, message: `${earlier}と同じ研修・職員です` });
      continue;
    }
    seen.set(key, row.where);
    items.push({ where: row.where, trainingId: training.id, personId, answer: r.answer });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, items };
}
