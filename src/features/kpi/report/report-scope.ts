import { z } from 'zod';
import type { Translate } from '../../../i18n/i18n';
import type { Person } from '../../../directory/org.schema';
import type { ReportScope } from '../kpi.types';

export type ScopeRefusal =
  { reason: 'notAllowed' } | { reason: 'ownUnitOnly'; unit: string } | { reason: 'unknownUnit'; unit: string; units: readonly string[] } | { reason: 'noUnit' };

export type ScopeDecision = { allowed: true; scope: ReportScope } | { allowed: false; refusal: ScopeRefusal };

/** The words that ask for the whole town rather than a unit, in either language. */
const TOWN_WORDS = new Set(['町全体', '全体', '全庁', 'town', 'all']);

const normalise = (text: string): string => text.normalize('NFKC').trim();

/**
 * `レポート` → the default scope (undefined); `レポート 町全体` → the town; `レポート 住民課` → that
 * unit. Which of these the person may see is `decideReportScope`'s business, not the parser's.
 */
export const scopeRequestSchema = z
  .string()
  .max(200)
  .transform((text): ReportScope | undefined => {
    const asked = normalise(text);
    if (asked === '') return undefined;
    if (TOWN_WORDS.has(asked.toLowerCase())) return { kind: 'town' };
    return { kind: 'unit', unit: asked };
  });

/**
 * Who may see which KPI report: HR (総務課 人事) sees the town, or any unit they name; a 課長
 * sees their own unit only; anyone else is refused. HR wins when a 課長 is also HR. The
 * figures are aggregates either way, and groups under 3 people are already suppressed.
 */
export function decideReportScope(person: Person, requested: ReportScope | undefined, knownUnits: readonly string[]): ScopeDecision {
  if (!person.active) return { allowed: false, refusal: { reason: 'notAllowed' } };
  if (person.hr) {
    if (requested?.kind !== 'unit') return { allowed: true, scope: { kind: 'town' } };
    const unit = knownUnits.find((u) => normalise(u) === normalise(requested.unit));
    if (unit === undefined) return { allowed: false, refusal: { reason: 'unknownUnit', unit: requested.unit, units: knownUnits } };
    return { allowed: true, scope: { kind: 'unit', unit } };
  }
  if (person.role !== 'manager') return { allowed: false, refusal: { reason: 'notAllowed' } };
  const own = person.unit;
  if (!own) return { allowed: false, refusal: { reason: 'noUnit' } };
  if (requested === undefined || (requested.kind === 'unit' && normalise(requested.unit) === normalise(own))) {
    return { allowed: true, scope: { kind: 'unit', unit: own } };
  }
  return { allowed: false, refusal: { reason: 'ownUnitOnly', unit: own } };
}

/** The answer to a refused `レポート`, in the person's language. */
export function scopeRefusalMessage(refusal: ScopeRefusal, t: Translate): string {
  switch (refusal.reason) {
    case 'notAllowed':
      return t('kpiReport.scope.notAllowed');
    case 'ownUnitOnly':
      return t('kpiReport.scope.ownUnitOnly', { unit: refusal.unit });
    case 'unknownUnit':
      return t('kpiReport.scope.unknownUnit', { unit: refusal.unit, units: refusal.units.join(t('kpiReport.scope.unitSeparator')) });
    case 'noUnit':
      return t('kpiReport.scope.noUnit');
  }
}
