import { ROLE_KEYS, ROLE_LABELS_JA, type RoleKey } from './org.schema';

/** The directory CSV's vocabulary: its columns, the words HR may write in them, and how loosely they are matched. */
export const FIELDS = ['id', 'name', 'kana', 'unit', 'group', 'role', 'managerId', 'email', 'aadObjectId', 'hr'] as const;
export type Field = (typeof FIELDS)[number];

/** label is what toOrgCsv writes and what errors name; any alias is accepted on import. */
export const COLUMNS: Record<Field, { label: string; aliases: readonly string[] }> = {
  id: { label: '職員番号', aliases: ['id'] },
  name: { label: '氏名', aliases: ['name'] },
  kana: { label: 'ふりがな', aliases: ['フリガナ', 'kana'] },
  unit: { label: '所属', aliases: ['課', 'unit'] },
  group: { label: 'グループ', aliases: ['係', 'group'] },
  role: { label: '役職', aliases: ['role'] },
  managerId: { label: '上司職員番号', aliases: ['上司', 'managerId', 'manager'] },
  email: { label: 'メールアドレス', aliases: ['メール', 'email'] },
  aadObjectId: { label: 'AADオブジェクトID', aliases: ['aadObjectId'] },
  hr: { label: '人事', aliases: ['hr'] },
};

export const REQUIRED_COLUMNS: readonly Field[] = ['id', 'name', 'role'];

/** Loose form for matching what people type: full-width letters, stray spaces and case do not matter. */
export function loose(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

export const FIELD_BY_HEADER = new Map<string, Field>(
  FIELDS.flatMap((field) => [COLUMNS[field].label, ...COLUMNS[field].aliases].map((name): [string, Field] => [loose(name), field])),
);

const EXECUTIVE_TITLES = ['町長', '副町長'];
export const ROLE_BY_CELL = new Map<string, RoleKey>([
  ...ROLE_KEYS.map((key): [string, RoleKey] => [loose(key), key]),
  ...ROLE_KEYS.map((key): [string, RoleKey] => [loose(ROLE_LABELS_JA[key]), key]),
  ...EXECUTIVE_TITLES.map((title): [string, RoleKey] => [title, 'executive']),
]);
/** The roles a cell may name, as HR reads them in an error. */
export const ROLE_CHOICES = [...ROLE_KEYS.filter((key) => key !== 'executive').map((key) => ROLE_LABELS_JA[key]), ...EXECUTIVE_TITLES].join('・');

/** A role as HR writes it (key, 課長…, 町長・副町長), whatever the width and spacing; the Entra sync's mapping reads roles the same way. */
export function roleOfCell(cell: string): RoleKey | undefined {
  return ROLE_BY_CELL.get(loose(cell));
}

// ◯ (U+25EF) is what most Japanese IMEs give for まる, so it is accepted beside ○ and 〇.
export const HR_TRUE = new Set(['○', '〇', '◯', '1', 'true', 'yes', 'はい']);
export const HR_FALSE = new Set(['', '×', '0', 'false', 'no', 'いいえ']);

/** Full-width digits and letters in ids and addresses are typing accidents, not different values. */
export const IDENTIFIER_FIELDS: ReadonlySet<Field> = new Set(['id', 'managerId', 'email', 'aadObjectId']);

export const FORMAT_HINTS: Partial<Record<Field, string>> = {
  id: '職員番号の形式ではありません（半角英数字・「-」・「_」のみ）',
  managerId: '職員番号の形式ではありません（半角英数字・「-」・「_」のみ）',
  email: 'メールアドレスの形式ではありません',
  aadObjectId: 'AADオブジェクトID（UUID）の形式ではありません',
};
