import { z } from 'zod';

/** The six staff roles of the policy, plus the town's executives (町長・副町長) who receive escalations. */
export const ROLE_KEYS = ['manager', 'chief', 'senior', 'lead', 'staff', 'appointee', 'executive'] as const;
export type RoleKey = (typeof ROLE_KEYS)[number];
export const roleKeySchema = z.enum(ROLE_KEYS);

/** Japanese labels as they appear in HR's spreadsheets; the CSV accepts either these or the keys. */
export const ROLE_LABELS_JA: Record<RoleKey, string> = {
  manager: '課長',
  chief: '主幹',
  senior: '主査',
  lead: '主任',
  staff: '主事',
  appointee: '会計年度任用職員',
  executive: '町長・副町長',
};

export const personIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "-" or "_" only');

export const personSchema = z.object({
  id: personIdSchema,
  name: z.string().trim().min(1).max(100),
  kana: z.string().trim().max(100).optional(),
  unit: z.string().trim().max(50).optional(),
  group: z.string().trim().max(50).optional(),
  role: roleKeySchema,
  managerId: personIdSchema.optional(),
  email: z.email().max(254).optional(),
  aadObjectId: z.uuid().optional(),
  hr: z.boolean().default(false),
  active: z.boolean().default(true),
});
export type Person = z.infer<typeof personSchema>;

export const unitSchema = z.object({
  name: z.string().trim().min(1).max(50),
});
export type Unit = z.infer<typeof unitSchema>;

export type OrgLocaleSetting = 'ja' | 'en' | 'auto';

/** A whole directory as imported: the unit of validation and of writing. */
export interface OrgDirectory {
  units: Unit[];
  people: Person[];
}
