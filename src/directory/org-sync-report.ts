import { nameOf, type EntraUser } from './entra-user';
import { ROLE_LABELS_JA, type Person } from './org.schema';
import type { ChangedField, SyncPlan } from './org-sync.service';

const FIELD_LABELS: Record<ChangedField, string> = {
  name: '氏名',
  unit: '課',
  role: '役職',
  managerId: '上司',
  email: 'メール',
  aadObjectId: 'Entra ID',
  hr: '人事',
};

/** How many names a line shows before it says "ほか N 名": HR reads this in a terminal. */
const NAMES_SHOWN = 10;

function who(user: EntraUser): string {
  return nameOf(user) ?? user.userPrincipalName ?? user.id;
}

function names(list: readonly string[]): string {
  const shown = list.slice(0, NAMES_SHOWN).join('、');
  return list.length > NAMES_SHOWN ? `${shown} ほか ${list.length - NAMES_SHOWN} 名` : shown;
}

function placeOf(p: Person): string {
  return `${p.unit ?? '課なし'}・${ROLE_LABELS_JA[p.role]}`;
}

/**
 * The difference as HR reads it before applying it: who is added, what changes for whom, who is
 * deactivated, and every department, title and account that is not imported, with the reason.
 */
export function formatSyncPlan(plan: SyncPlan, before: readonly Person[]): string {
  const nameById = new Map([...before, ...plan.directory.people].map((p) => [p.id, p.name]));
  const value = (p: Person, field: ChangedField): string => {
    if (field === 'managerId') return p.managerId ? (nameById.get(p.managerId) ?? p.managerId) : 'なし';
    if (field === 'role') return ROLE_LABELS_JA[p.role];
    if (field === 'hr') return p.hr ? 'あり' : 'なし';
    return String(p[field] ?? 'なし');
  };
  const lines: string[] = [];
  const section = (title: string, rows: string[]): void => {
    if (rows.length === 0) return;
    lines.push(title, ...rows.map((r) => `  ${r}`));
  };

  section(
    `追加 ${plan.added.length} 名:`,
    plan.added.map(({ person, reactivated }) => `+ ${person.name}（${person.id}） ${placeOf(person)}${reactivated ? '（再び有効に）' : ''}`),
  );
  section(
    `変更 ${plan.changed.length} 名:`,
    plan.changed.map(
      ({ before: b, after, fields }) =>
        `~ ${after.name}（${after.id}） ${fields.map((f) => `${FIELD_LABELS[f]}: ${value(b, f)} → ${value(after, f)}`).join(' / ')}`,
    ),
  );
  section(
    `無効化 ${plan.deactivated.length} 名:`,
    plan.deactivated.map(
      ({ person, reason }) => `- ${person.name}（${person.id}） ${reason === 'disabled' ? 'Entra ID でアカウントが無効' : 'Entra ID から削除'}`,
    ),
  );
  section(
    '対応表にない所属・役職（この人たちは取り込みません。対応表に加えてください）:',
    plan.unmapped.map(
      ({ field, value: v, users }) => `${field === 'department' ? '所属' : '役職'}${v ? `「${v}」` : '（空欄）'} ${users.length} 名: ${names(users.map(who))}`,
    ),
  );
  section(
    '取り込めない人:',
    plan.problems.map(({ user, message }) => `${who(user)}: ${message}`),
  );
  section(
    'Entra ID の上司が名簿にいないため、上司なしになる人:',
    plan.withoutManager.map(({ person, manager }) => `${person.name}（上司: ${manager ? who(manager) : '不明'}）`),
  );
  const { guest, pattern, noDepartment } = plan.excluded;
  if (guest.length + pattern.length + noDepartment.length > 0) {
    lines.push(`除外（取り込みません）: ゲスト ${guest.length} 名 / 除外パターン ${pattern.length} 名 / 所属なし ${noDepartment.length} 名`);
    if (pattern.length > 0) lines.push(`  除外パターン: ${names(pattern.map(who))}`);
    if (noDepartment.length > 0) lines.push(`  所属なし: ${names(noDepartment.map(who))}`);
  }
  if (plan.notInEntra.length > 0)
    lines.push(`名簿にいて Entra ID にいない人: ${plan.notInEntra.length} 名（変更しません）: ${names(plan.notInEntra.map((p) => p.name))}`);
  lines.push(`変わりのない人: ${plan.unchanged} 名`);
  return lines.join('\n');
}
