import { z } from 'zod';
import { optionalText, requiredText, toggle } from '../../shared/card-fields';
import { dayField, timeField } from '../../shared/card-form';

/** The policy's 業務区分 and 原因, as stable keys; labels live in the catalogue. */
export const CATEGORIES = ['counter', 'personal', 'money', 'documents', 'system', 'safety', 'external', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];
export const CAUSES = ['check', 'knowledge', 'procedure', 'communication', 'time', 'system', 'other'] as const;
export type Cause = (typeof CAUSES)[number];
export const IMPACTS = ['1', '2', '3', '4'] as const;

/** Categories whose handling the escalation table gives to a 主任/主査 (個人情報・金銭の取扱い). */
export const HANDLER_CATEGORIES: readonly Category[] = ['personal', 'money'];

/** One minute on a phone: room for a real account, short enough for every recipient to read. */
export const LIMITS = { text: 500, owner: 100 } as const;

/** 共有済 (`shared`) is set by the monthly digest, for reports it carried with their countermeasure. */
export const STATUSES = ['received', 'acknowledged', 'decided', 'shared'] as const;
export type Status = (typeof STATUSES)[number];

/** The card's fields, in card order; what a refused card comes back with. */
export const REPORT_FIELDS = ['date', 'time', 'category', 'what', 'consequence', 'impact', 'cause', 'idea', 'anonymous'] as const;
export const DECIDE_FIELDS = ['countermeasure', 'owner'] as const;

export const reportSubmitSchema = z.object({
  verb: z.literal('nearmiss.submit'),
  date: dayField,
  time: timeField,
  category: z.enum(CATEGORIES, { error: 'choice' }),
  what: requiredText(LIMITS.text),
  consequence: optionalText(LIMITS.text),
  impact: z.enum(IMPACTS, { error: 'choice' }).transform(Number),
  cause: z
    .union([z.literal(''), z.enum(CAUSES, { error: 'choice' })])
    .optional()
    .transform((v) => (v ? v : undefined)),
  idea: optionalText(LIMITS.text),
  anonymous: toggle,
});
export type ReportSubmit = z.infer<typeof reportSubmitSchema>;

/** NM-2026-0012: the fiscal year it was filed in and its place in that year's sequence. */
export const reportIdSchema = z.string().regex(/^NM-\d{4}-\d{4,5}$/);

/** The random id a report form carries, so one card files one report. */
export const formIdSchema = z.uuid();

export const reportRefSchema = z.object({ verb: z.enum(['nearmiss.ack', 'nearmiss.view']), id: reportIdSchema });

export const decideSubmitSchema = z.object({
  verb: z.literal('nearmiss.decide'),
  id: reportIdSchema,
  countermeasure: requiredText(LIMITS.text),
  owner: requiredText(LIMITS.owner),
});

/**
 * One stored report. An anonymous one has no reporterId and its times are cut to the hour: nothing
 * in it can be matched to a person or to the moment someone pressed 送信.
 */
export interface NearMiss {
  tenantId: string;
  id: string;
  fiscalYear: number;
  seq: number;
  /** The Tokyo day it was filed: the outbox day of the recipients' cards. */
  day: string;
  unit: string;
  anonymous: boolean;
  reporterId?: string;
  occurredAt: string;
  category: Category;
  impact: number;
  what: string;
  consequence?: string;
  cause?: Cause;
  idea?: string;
  recipientIds: string[];
  status: Status;
  acknowledgedBy?: string;
  countermeasure?: string;
  countermeasureOwner?: string;
  decidedBy?: string;
  createdAt: string;
  updatedAt: string;
}

export function reportId(fiscalYear: number, seq: number): string {
  return `NM-${fiscalYear}-${String(seq).padStart(4, '0')}`;
}

export function parseReportId(id: string): { fiscalYear: number; seq: number } {
  const [, year, seq] = id.split('-');
  return { fiscalYear: Number(year), seq: Number(seq) };
}
