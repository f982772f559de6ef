import type { MessageKey, Translate } from '../../i18n/i18n';
import { translator } from '../../i18n/i18n';
import { normaliseText } from '../../shared/text';
import type { Person } from '../../directory/org.schema';
import { VALUE_KEYS, type KudosRecord, type ValueKey } from './kudos.schema';

export function valueLabel(value: ValueKey, t: Translate): string {
  return t(`kudos.value.${value}` as MessageKey);
}

/**
 * The first value named in a typed kudos ("抱え込まないでくれて助かりました" → share), in either
 * language, so a one-line thanks needs no card when its words already say which value it is.
 */
export function valueInText(text: string): ValueKey | undefined {
  const folded = normaliseText(text).toLowerCase();
  let best: { value: ValueKey; at: number } | undefined;
  for (const value of VALUE_KEYS) {
    for (const t of [translator('ja'), translator('en')]) {
      const at = folded.indexOf(normaliseText(valueLabel(value, t)).toLowerCase());
      if (at !== -1 && (!best || at < best.at)) best = { value, at };
    }
  }
  return best?.value;
}

/** The message of `ありがとう <at>A</at> <at>B</at> text`: what is left once the mentions are taken out. */
export function messageOf(args: string): string {
  return normaliseText(args.replace(/<at>[^<]*<\/at>/g, ' '));
}

/**
 * Whose evaluation a person takes part in: their direct reports, and for a 課長 everyone in their
 * 課. Both the プラス評価 record and the right to read it follow this one rule.
 */
export function isOwnMember(manager: Person, member: Person): boolean {
  if (manager.id === member.id || !member.active) return false;
  if (member.managerId === manager.id) return true;
  return manager.role === 'manager' && manager.unit !== undefined && member.unit === manager.unit;
}

export function ownMembers(manager: Person, directory: readonly Person[]): Person[] {
  return directory.filter((p) => isOwnMember(manager, p));
}

export type RecipientProblem = { kind: 'none' } | { kind: 'self' } | { kind: 'unknown'; names: string[] } | { kind: 'tooMany' };

/** The rules on who can be thanked, in the order a person would want to hear them. */
export function checkRecipients(sender: Person, found: readonly Person[], unknownNames: readonly string[], max: number): RecipientProblem | undefined {
  if (found.some((p) => p.id === sender.id)) return { kind: 'self' };
  if (unknownNames.length > 0) return { kind: 'unknown', names: [...unknownNames] };
  if (found.length === 0) return { kind: 'none' };
  if (found.length > max) return { kind: 'tooMany' };
  return undefined;
}

/** Counts by value in catalogue order, values never received left out. */
export function countByValue(records: readonly Pick<KudosRecord, 'value'>[]): { value: ValueKey; count: number }[] {
  return VALUE_KEYS.map((value) => ({ value, count: records.filter((r) => r.value === value).length })).filter((c) => c.count > 0);
}
