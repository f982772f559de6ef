import type { Person } from './org.schema';

export interface UnitReach {
  unit: string;
  total: number;
  /** No personal chat with hibi stored: the app is not installed for them (or never opened). */
  notInstalled: Person[];
  /** Teams refused a delivery (blocked, uninstalled, disabled by the admin). */
  blocked: Person[];
}

/** Per unit, who hibi can reach: what HR needs to chase installs before prompts go unread. */
export function reachByUnit(directory: readonly Person[], withChat: ReadonlySet<string>, refused: ReadonlySet<string>): UnitReach[] {
  const staff = directory.filter((p) => p.active && p.unit);
  const units = [...new Set(staff.map((p) => p.unit as string))];
  return units.map((unit) => {
    const members = staff.filter((p) => p.unit === unit);
    return {
      unit,
      total: members.length,
      notInstalled: members.filter((p) => !withChat.has(p.id)),
      blocked: members.filter((p) => withChat.has(p.id) && refused.has(p.id)),
    };
  });
}

/** Who of a unit hibi cannot reach, in the order the lists name them: not installed, then refused. */
export function unreachable(unit: UnitReach): { person: Person; blocked: boolean }[] {
  return [...unit.notInstalled.map((person) => ({ person, blocked: false })), ...unit.blocked.map((person) => ({ person, blocked: true }))];
}

/**
 * Splits `items` into pages whose text (each item's length plus a separator) stays within
 * `maxChars`: a page of short names holds many, of long ones fewer, and every page has at least one.
 */
export function pagesOf<T>(items: readonly T[], lengthOf: (item: T) => number, maxChars: number): T[][] {
  const pages: T[][] = [];
  let page: T[] = [];
  let used = 0;
  for (const item of items) {
    const length = lengthOf(item) + 1;
    if (page.length > 0 && used + length > maxChars) {
      pages.push(page);
      page = [];
      used = 0;
    }
    page.push(item);
    used += length;
  }
  if (page.length > 0) pages.push(page);
  return pages;
}
