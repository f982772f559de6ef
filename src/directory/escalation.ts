import type { Person, RoleKey } from './org.schema';

/**
 * The policy's escalation table (エスカレーション基準) as data: for each role, which roles a
 * question goes to, in order of preference, and when.
 */
export interface EscalationRule {
  role: RoleKey;
  to: RoleKey[];
  /** Catalogue-free Japanese text from the policy, shown to HR when configuring. */
  when: string;
}

export const DEFAULT_ESCALATION: readonly EscalationRule[] = [
  { role: 'manager', to: ['executive'], when: '方針判断、他課調整、重大なクレーム・事故' },
  { role: 'chief', to: ['manager'], when: '法的・契約・安全上のリスク、期限遅延の見込み' },
  { role: 'senior', to: ['chief', 'manager'], when: 'クレームの重大化、外部調整の不調、期限遅延' },
  { role: 'lead', to: ['senior'], when: '前例と異なる案件、法的根拠の確認' },
  { role: 'staff', to: ['lead', 'senior'], when: '不明点、例外、個人情報・金銭の取扱い' },
  { role: 'appointee', to: ['lead', 'senior'], when: '判断を要すること、例外' },
];

function chainOf(person: Person, byId: Map<string, Person>): Person[] {
  const chain: Person[] = [];
  const seen = new Set<string>([person.id]);
  let next = person.managerId ? byId.get(person.managerId) : undefined;
  while (next && !seen.has(next.id)) {
    chain.push(next);
    seen.add(next.id);
    next = next.managerId ? byId.get(next.managerId) : undefined;
  }
  return chain;
}

/**
 * Who a question from `person` goes to: the nearest person up their own line (manager chain, same
 * unit) holding one of the rule's roles — the one who already knows their work; failing that, the
 * rule's roles in order, in their group, then anywhere in their unit. Executives are found
 * town-wide. Returns an empty list when nobody fits.
 */
export function resolveEscalation(person: Person, directory: readonly Person[], rules: readonly EscalationRule[] = DEFAULT_ESCALATION): Person[] {
  const rule = rules.find((r) => r.role === person.role);
  if (!rule) return [];
  const active = directory.filter((p) => p.active && p.id !== person.id);
  const byId = new Map(active.map((p) => [p.id, p]));
  const inLine = chainOf(person, byId).find((p) => rule.to.includes(p.role) && p.role !== 'executive' && p.unit === person.unit);
  if (inLine) return [inLine];
  for (const role of rule.to) {
    if (role === 'executive') {
      const executives = active.filter((p) => p.role === 'executive');
      if (executives.length > 0) return executives;
      continue;
    }
    const sameUnit = active.filter((p) => p.role === role && p.unit === person.unit);
    const sameGroup = sameUnit.filter((p) => person.group !== undefined && p.group === person.group);
    if (sameGroup.length > 0) return [sameGroup[0] as Person];
    if (sameUnit.length > 0) return [sameUnit[0] as Person];
  }
  return [];
}
