import { MIN_GROUP_SIZE } from '../kpi/kpi.public';

export interface SiblingGroup {
  key: string;
  /** How many answered in the group. */
  count: number;
  /** False for a group that is never shown but still covers people (those without a 課). */
  shown?: boolean;
}

/**
 * The groups whose figures are hidden: every group under 3 answers, then, among siblings (課 among
 * 課, role groups among role groups), the smallest shown ones until the hidden ones together cover
 * at least 3, since the town's figure minus the shown ones would otherwise give a small group back.
 * The same rule as the KPI rollups (kpi.suppression.ts), over plain counts: a survey group's
 * figures all stand on the same answers. The town itself is hidden under 3, and with it everything.
 */
export function hiddenGroups(town: number, levels: readonly (readonly SiblingGroup[])[]): Set<string> {
  const all = levels.flat();
  if (town < MIN_GROUP_SIZE) return new Set(['town', ...all.map((g) => g.key)]);
  const hidden = new Set<string>();
  for (const siblings of levels) {
    const present = siblings.filter((g) => g.count > 0);
    for (const g of present) if (g.count < MIN_GROUP_SIZE || g.shown === false) hidden.add(g.key);
    let covered = present.filter((g) => hidden.has(g.key)).reduce((n, g) => n + g.count, 0);
    while (covered > 0 && covered < MIN_GROUP_SIZE) {
      const next = present.filter((g) => !hidden.has(g.key)).sort((a, b) => a.count - b.count || a.key.localeCompare(b.key))[0];
      if (!next) break;
      hidden.add(next.key);
      covered += next.count;
    }
  }
  return hidden;
}
