/**
 * A user as hibi keeps it from Entra ID: the properties the sync reads, nothing else. Kept per tenant
 * (the mirror), because a delta round only names what changed and the plan needs everyone.
 */
export interface EntraUser {
  /** Entra object id. */
  id: string;
  displayName?: string;
  givenName?: string;
  surname?: string;
  mail?: string;
  userPrincipalName?: string;
  department?: string;
  jobTitle?: string;
  employeeId?: string;
  accountEnabled?: boolean;
  userType?: string;
  /** The manager's Entra object id. */
  managerId?: string;
}

export type EntraField = Exclude<keyof EntraUser, 'id' | 'managerId'>;

/** What one delta item says about one user. */
export type UserChange =
  | { kind: 'removed'; id: string }
  | {
      kind: 'upsert';
      id: string;
      /** Only the properties the answer carried; null = cleared. Absent = not said, so unchanged. */
      fields: Partial<Record<EntraField, string | boolean | null>>;
      /** undefined = the answer said nothing about the manager; null = no manager. */
      managerId?: string | null;
    };

export interface DeltaRound {
  /** true = Graph listed everyone (first run, or the delta link had expired): users not listed are gone. */
  full: boolean;
  changes: UserChange[];
  deltaLink: string;
}

/**
 * The users after a round. A full round starts from nobody; a delta round from what was kept.
 * An item can name a user again later in the same round (Graph says so); the last word wins.
 */
export function applyRound(kept: ReadonlyMap<string, EntraUser>, round: Pick<DeltaRound, 'full' | 'changes'>): Map<string, EntraUser> {
  const users = new Map<string, EntraUser>(round.full ? [] : [...kept].map(([id, user]) => [id, { ...user }]));
  for (const change of round.changes) {
    if (change.kind === 'removed') {
      users.delete(change.id);
      continue;
    }
    const user: EntraUser = users.get(change.id) ?? { id: change.id };
    for (const [field, value] of Object.entries(change.fields) as [EntraField, string | boolean | null][]) {
      if (value === null) delete user[field];
      else (user as unknown as Record<string, unknown>)[field] = value;
    }
    if (change.managerId === null) delete user.managerId;
    else if (change.managerId !== undefined) user.managerId = change.managerId;
    users.set(change.id, user);
  }
  return users;
}

/** 氏名 as hibi shows it: Entra's display name, or 姓 名. */
export function nameOf(user: EntraUser): string | undefined {
  const display = user.displayName?.trim();
  if (display) return display;
  const parts = [user.surname?.trim(), user.givenName?.trim()].filter((p): p is string => Boolean(p));
  return parts.length > 0 ? parts.join(' ') : undefined;
}
