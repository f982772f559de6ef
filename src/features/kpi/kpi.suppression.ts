import type { Distribution, Figures, GroupKey } from './kpi.figures';
import { MIN_GROUP_SIZE } from './kpi.types';

interface Row<F> {
  key: GroupKey;
  figures: F;
}

/** A figure that describes people: an average over those who answered, or a breakdown over a group's members. */
export interface Sensitive<F> {
  /** How many people the figure is about. */
  people(f: F): number;
  /** Whether there is anything to hide (a group with no answers has no average). */
  present(f: F): boolean;
  isSuppressed(f: F): boolean;
  suppress(f: F): void;
}

const mean = (pick: (f: Figures) => Figures['condition']): Sensitive<Figures> => ({
  people: (f) => pick(f).count,
  present: (f) => pick(f).count > 0,
  isSuppressed: (f) => pick(f).suppressed,
  suppress: (f) => Object.assign(pick(f), { suppressed: true, count: 0, sum: 0 }),
});

const hideCounts = (d: Distribution): void => {
  d.suppressed = true;
  for (const key of Object.keys(d.counts)) d.counts[key] = 0;
};

const SENSITIVE: readonly Sensitive<Figures>[] = [
  mean((f) => f.condition),
  mean((f) => f.satisfaction),
  {
    people: (f) => f.overtime.people,
    present: (f) => f.overtime.people > 0,
    isSuppressed: (f) => f.overtime.suppressed,
    suppress: (f) => Object.assign(f.overtime, { suppressed: true, people: 0, minutes: 0, days: 0 }),
  },
  {
    people: (f) => f.members,
    present: (f) => f.members > 0 || f.kudos.total > 0,
    isSuppressed: (f) => f.kudos.suppressed,
    suppress: (f) => hideCounts(f.kudos),
  },
  {
    people: (f) => f.members,
    present: (f) => f.nearmiss !== undefined && (f.members > 0 || f.nearmiss.byCategory.total > 0),
    isSuppressed: (f) => f.nearmiss?.byCategory.suppressed ?? false,
    suppress: (f) => {
      if (!f.nearmiss) return;
      hideCounts(f.nearmiss.byCategory);
      hideCounts(f.nearmiss.byImpact);
    },
  },
];

/**
 * Suppresses, in place, every average and breakdown behind fewer than 3 people, and then enough of
 * their siblings (units among units, roles among roles) that the town's figure minus the published
 * ones always covers at least 3 people: otherwise a subtraction would give back what was hidden.
 */
export function suppressSmallGroups(rows: readonly Row<Figures>[]): void {
  for (const measure of SENSITIVE) suppressMeasure(rows, measure);
}

/** suppressSmallGroups for one measure, of any shape of figures (the period snapshots have their own). */
export function suppressMeasure<F>(rows: readonly Row<F>[], measure: Sensitive<F>): void {
  const town = rows.find((r) => r.key.level === 'town');
  // Sizes before anything is hidden: suppressing a figure also clears its counts.
  const people = new Map(rows.map((r) => [r, measure.people(r.figures)]));
  const present = rows.filter((r) => measure.present(r.figures));
  for (const row of present) if ((people.get(row) ?? 0) < MIN_GROUP_SIZE) measure.suppress(row.figures);
  if (!town || !present.includes(town) || measure.isSuppressed(town.figures)) return;
  for (const level of ['unit', 'role'] as const) {
    const siblings = present.filter((r) => r.key.level === level);
    const isHidden = (r: Row<F>): boolean => measure.isSuppressed(r.figures);
    let hidden = siblings.filter(isHidden).reduce((n, r) => n + (people.get(r) ?? 0), 0);
    while (hidden < MIN_GROUP_SIZE && siblings.some(isHidden)) {
      const next = siblings.filter((r) => !isHidden(r)).sort((a, b) => (people.get(a) ?? 0) - (people.get(b) ?? 0) || keyOf(a).localeCompare(keyOf(b)))[0];
      if (!next) break;
      measure.suppress(next.figures);
      hidden += people.get(next) ?? 0;
    }
  }
}

const keyOf = (row: Row<unknown>): string => `${row.key.unit ?? ''}|${row.key.role ?? ''}`;
