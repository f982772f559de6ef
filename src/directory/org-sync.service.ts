import { z } from 'zod';
import { nameOf, type EntraUser } from './entra-user';
import { ROLE_LABELS_JA, personIdSchema, personSchema, type OrgDirectory, type Person } from './org.schema';
import { loose, matchesUpn, type SyncMapping } from './org-sync-mapping';

export type ExcludeReason = 'guest' | 'pattern' | 'noDepartment';
export type ChangedField = 'name' | 'unit' | 'role' | 'managerId' | 'email' | 'aadObjectId' | 'hr';
const COMPARED: readonly ChangedField[] = ['name', 'unit', 'role', 'managerId', 'email', 'aadObjectId', 'hr'];

export interface SyncPlan {
  /** New people, and people Entra has again after they were deactivated. */
  added: { person: Person; reactivated: boolean }[];
  changed: { before: Person; after: Person; fields: ChangedField[] }[];
  deactivated: { person: Person; reason: 'disabled' | 'removed' }[];
  /** Departments and titles the mapping does not name: their people are not imported. jobTitle '' = no title. */
  unmapped: { field: 'department' | 'jobTitle'; value: string; users: EntraUser[] }[];
  excluded: Record<ExcludeReason, EntraUser[]>;
  /** Users the mapping covers who still cannot become a person (bad employeeId, id taken, no name...). */
  problems: { user: EntraUser; message: string }[];
  /** Imported people whose Entra manager is not in the directory, so hibi has no manager for them. */
  withoutManager: { person: Person; manager: EntraUser | undefined }[];
  /** Active people of the directory no Entra user is linked to: left as they are. */
  notInEntra: Person[];
  unchanged: number;
  /** The whole directory after the sync, ready for OrgRepository.importDirectory (people left out are deactivated). */
  directory: OrgDirectory;
}

export interface PlanInput {
  /** The Entra users kept from the last applied run (empty on the first). */
  previous: ReadonlyMap<string, EntraUser>;
  /** The Entra users after this run's round. */
  users: ReadonlyMap<string, EntraUser>;
  /** The directory now, active and deactivated people. */
  people: readonly Person[];
  mapping: SyncMapping;
}

interface Candidate {
  user: EntraUser;
  id: string;
  existing: Person | undefined;
  unit: string | undefined;
  role: Person['role'];
  name: string;
}

const emailSchema = z.email().max(254);

export function hasChanges(plan: Pick<SyncPlan, 'added' | 'changed' | 'deactivated'>): boolean {
  return plan.added.length + plan.changed.length + plan.deactivated.length > 0;
}

/**
 * What the directory becomes when Entra ID is applied to it, and every reason someone is left
 * out. Only what Entra says for certain changes a person: a department or title the mapping does not
 * name, an excluded or unlinkable account leaves the directory as it is and is listed instead.
 */
export function planSync(input: PlanInput): SyncPlan {
  const { users, people, mapping } = input;
  const byAad = new Map(people.flatMap((p) => (p.aadObjectId ? [[p.aadObjectId.toLowerCase(), p] as const] : [])));
  const byId = new Map(people.map((p) => [p.id, p]));
  const plan: SyncPlan = {
    added: [],
    changed: [],
    deactivated: [],
    unmapped: [],
    excluded: { guest: [], pattern: [], noDepartment: [] },
    problems: [],
    withoutManager: [],
    notInEntra: [],
    unchanged: 0,
    directory: { units: [], people: [] },
  };

  /** The person an Entra user is: the one holding its object id, else the one its employeeId (or object id) names. */
  const link = (user: EntraUser): { id: string; existing: Person | undefined } | { problem: string } => {
    const linked = byAad.get(user.id.toLowerCase());
    if (linked) return { id: linked.id, existing: linked };
    const employeeId = user.employeeId?.normalize('NFKC').trim();
    const id = employeeId || user.id;
    if (!personIdSchema.safeParse(id).success)
      return { problem: `社員番号（employeeId）「${employeeId}」は職員番号として使えません（半角英数字・「-」・「_」のみ）` };
    const existing = byId.get(id);
    // A directory row tied to another Entra account that still exists is someone else, not this user.
    if (existing?.aadObjectId && users.has(existing.aadObjectId.toLowerCase()))
      return { problem: `職員番号 ${id} は名簿で別の Entra ユーザー（${existing.name}）に結びついています` };
    return { id, existing };
  };

  const candidates: Candidate[] = [];
  const disabled: EntraUser[] = [];
  const unmapped = new Map<string, SyncPlan['unmapped'][number]>();
  const noteUnmapped = (field: 'department' | 'jobTitle', value: string, user: EntraUser): void => {
    const key = `${field}|${loose(value)}`;
    const entry = unmapped.get(key) ?? { field, value, users: [] };
    entry.users.push(user);
    unmapped.set(key, entry);
  };

  for (const user of users.values()) {
    if (user.userType?.toLowerCase() === 'guest') plan.excluded.guest.push(user);
    else if (mapping.exclude.some((pattern) => matchesUpn(pattern, user.userPrincipalName))) plan.excluded.pattern.push(user);
    else if (user.accountEnabled === false) disabled.push(user);
    else if (!user.department?.trim()) plan.excluded.noDepartment.push(user);
    else {
      const department = user.department.trim();
      const title = user.jobTitle?.trim() ?? '';
      const unit = mapping.units[loose(department)];
      const role = title ? mapping.roles[loose(title)] : undefined;
      if (unit === undefined) noteUnmapped('department', department, user);
      if (role === undefined) noteUnmapped('jobTitle', title, user);
      if (unit === undefined || role === undefined) continue;
      const name = nameOf(user);
      const linked = link(user);
      if ('problem' in linked) plan.problems.push({ user, message: linked.problem });
      else if (!name) plan.problems.push({ user, message: '氏名（displayName）がありません' });
      else if (unit === '' && role !== 'executive') {
        plan.problems.push({ user, message: `所属「${department}」は課なしの対応ですが、役職が${ROLE_LABELS_JA[role]}です（課なしは町長・副町長だけ）` });
      } else candidates.push({ user, ...linked, unit: unit || undefined, role, name });
    }
  }
  plan.unmapped = [...unmapped.values()];

  // Two Entra users that would be the same person: neither is imported, HR fixes employeeId.
  const countById = new Map<string, number>();
  for (const c of candidates) countById.set(c.id, (countById.get(c.id) ?? 0) + 1);
  const unique = candidates.filter((c) => {
    if ((countById.get(c.id) ?? 0) < 2) return true;
    plan.problems.push({ user: c.user, message: `職員番号 ${c.id} が複数の Entra ユーザーにあります` });
    return false;
  });
  const candidateIds = new Set(unique.map((c) => c.id));

  const deactivate = (user: EntraUser, reason: 'disabled' | 'removed'): void => {
    const linked = link(user);
    if ('problem' in linked || !linked.existing?.active || candidateIds.has(linked.id)) return;
    if (plan.deactivated.some((d) => d.person.id === linked.id)) return;
    plan.deactivated.push({ person: linked.existing, reason });
  };
  for (const user of disabled) deactivate(user, 'disabled');
  for (const [id, user] of input.previous) if (!users.has(id)) deactivate(user, 'removed');
  const deactivatedIds = new Set(plan.deactivated.map((d) => d.person.id));

  const kept = people.filter((p) => p.active && !candidateIds.has(p.id) && !deactivatedIds.has(p.id));
  // A manager is anyone in the directory after the sync holding that Entra id, imported now or kept.
  const personIdByAad = new Map<string, string>();
  for (const p of kept) if (p.aadObjectId) personIdByAad.set(p.aadObjectId.toLowerCase(), p.id);
  for (const c of unique) personIdByAad.set(c.user.id.toLowerCase(), c.id);

  const imported: Person[] = [];
  for (const c of unique) {
    const managerId = c.user.managerId ? personIdByAad.get(c.user.managerId.toLowerCase()) : undefined;
    const hr = mapping.hr.length > 0 ? mapping.hr.some((pattern) => matchesUpn(pattern, c.user.userPrincipalName)) : (c.existing?.hr ?? false);
    const email = [c.user.mail, c.user.userPrincipalName].find((e) => e !== undefined && emailSchema.safeParse(e).success);
    const parsed = personSchema.safeParse({
      id: c.id,
      name: c.name,
      kana: c.existing?.kana,
      unit: c.unit,
      group: c.existing?.group,
      role: c.role,
      managerId: managerId === c.id ? undefined : managerId,
      email,
      aadObjectId: c.user.id.toLowerCase(),
      hr,
      active: true,
    });
    if (!parsed.success) {
      plan.problems.push({ user: c.user, message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('、') });
      continue;
    }
    const person = parsed.data;
    imported.push(person);
    if (c.user.managerId && !person.managerId) plan.withoutManager.push({ person, manager: users.get(c.user.managerId) });
    if (!c.existing || !c.existing.active) plan.added.push({ person, reactivated: Boolean(c.existing) });
    else {
      const before = c.existing;
      const fields = COMPARED.filter((f) => (before[f] ?? undefined) !== (person[f] ?? undefined));
      if (fields.length > 0) plan.changed.push({ before, after: person, fields });
      else plan.unchanged += 1;
    }
  }

  const linkedIds = new Set(
    [...users.values()].flatMap((u) => {
      const linked = link(u);
      return 'problem' in linked ? [] : [linked.id];
    }),
  );
  plan.notInEntra = kept.filter((p) => !linkedIds.has(p.id));
  const directoryPeople = [...kept, ...imported];
  const units = [...new Set(directoryPeople.map((p) => p.unit).filter((u): u is string => u !== undefined))];
  plan.directory = { units: units.map((name) => ({ name })), people: directoryPeople };
  return plan;
}
