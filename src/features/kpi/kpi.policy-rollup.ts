import type { PeriodRow } from './kpi.aggregate';
import { emptyFigures, rowKeyOf } from './kpi.figures';
import type { PolicyKpiSources } from './kpi.policy';
import { emptyPolicyFigures, policyRows } from './kpi.policy-figures';
import type { PeopleIndex } from './kpi.rollup';
import type { Period } from './kpi.types';

/**
 * A period's rows with its 有給休暇 / 研修 / OJT snapshot added: the tallies of the period, grouped by
 * the directory as it is now. A group with tallies but no daily row (someone no longer in the
 * directory) gets a row of its own, so the town still equals the sum of its groups.
 */
export async function withPolicy(
  rows: readonly PeriodRow[],
  sources: PolicyKpiSources,
  tenantId: string,
  period: Period,
  people: PeopleIndex,
): Promise<PeriodRow[]> {
  const [paidLeave, training, ojt] = await Promise.all([
    sources.paidLeave(tenantId, period),
    sources.training(tenantId, period),
    sources.ojt(tenantId, period),
  ]);
  const snapshot = new Map(policyRows(people, { paidLeave, training, ojt }).map((r) => [rowKeyOf(r.key), r]));
  const out = rows.map((row) => ({ ...row, policy: snapshot.get(rowKeyOf(row.key))?.figures ?? emptyPolicyFigures() }));
  const seen = new Set(rows.map((r) => rowKeyOf(r.key)));
  for (const [rowKey, extra] of snapshot) {
    if (seen.has(rowKey)) continue;
    out.push({ key: extra.key, figures: emptyFigures(extra.key.level !== 'role'), days: 0, lastDay: '', overtimeMonthlyAverage: null, policy: extra.figures });
  }
  return out;
}
