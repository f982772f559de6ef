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
