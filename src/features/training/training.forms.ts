import type { Person } from '../../directory/org.schema';

/** The 課 of the directory's active people, sorted: what a training can be for and a list can be asked of. */
export function activeUnits(directory: readonly Person[]): string[] {
  return [...new Set(directory.filter((p) => p.active && p.unit).map((p) => p.unit as string))].sort();
}

/**
 * A multi-select Input.ChoiceSet submits the chosen values joined by commas, so a choice's value must
 * hold none: a 課 named 「総務課,防災係」 goes on the card with its commas (and this escape's own %) escaped.
 */
export function choiceValueOf(name: string): string {
  return name.replace(/[%,]/g, (c) => (c === '%' ? '%25' : '%2C'));
}

/** The name a choice's value stands for (choiceValueOf undone). */
export function nameOfChoice(value: string): string {
  return value.replace(/%(25|2C)/gi, (_, code: string) => (code === '25' ? '%' : ','));
}
