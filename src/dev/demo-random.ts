import { seededRandom } from '../directory/demo-org';

/** A number in [0, 1) each call; every one here is seeded, so the demo is the same on every machine. */
export type Random = () => number;

/** The demo history's own seed: change it and every figure changes, change nothing and none does. */
const HISTORY_SEED = 'hibi-demo-history-1';

/** FNV-1a, 32 bits: a string's stable seed. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * The random stream of one decision (who, what, which day): a person's answer on a day does not
 * depend on which other days were generated in the same run, so a later start can add days.
 */
export function randomFor(...parts: readonly (string | number)[]): Random {
  return seededRandom(fnv1a([HISTORY_SEED, ...parts].join('|')));
}

export const chance = (random: Random, p: number): boolean => random() < p;

export const between = (random: Random, low: number, high: number): number => low + (high - low) * random();

export const intBetween = (random: Random, low: number, high: number): number => Math.floor(between(random, low, high + 1));

export function pickOne<T>(random: Random, list: readonly T[]): T {
  const item = list[Math.floor(random() * list.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

export function pickWeighted<K extends string>(random: Random, weights: Readonly<Record<K, number>>): K {
  const entries = Object.entries(weights) as [K, number][];
  let left = random() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [key, weight] of entries) {
    left -= weight;
    if (left < 0) return key;
  }
  return (entries.at(-1) as [K, number])[0];
}

/** A standard normal draw (Box–Muller). */
export function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export const clamp = (n: number, low: number, high: number): number => Math.min(high, Math.max(low, n));

export function hexOf(random: Random, digits: number): string {
  let out = '';
  for (let i = 0; i < digits; i++) out += Math.floor(random() * 16).toString(16);
  return out;
}
