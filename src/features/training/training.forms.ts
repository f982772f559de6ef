import type { Person } from '../org/org.schema';

/** The 課 of the directory's active people, sorted: what a training can be for and a list can be asked of. */
export function activeUnits(directory: readonly Person[]): string[] {
  return [...new Set(directory.filter((p) => p.active && p.unit).map((p) => p.unit as string))].sort();
}
