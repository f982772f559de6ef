import * as ACData from 'adaptivecards-templating';

/**
 * Binds an Adaptive Card template to its data. Templates hold layout only; every word a person
 * reads arrives in `data`, already translated.
 */
export function renderCard<T extends object>(template: object, data: T): Record<string, unknown> {
  const bound: unknown = new ACData.Template(template).expand({ $root: data });
  if (typeof bound !== 'object' || bound === null) throw new Error('card template did not expand to an object');
  return bound as Record<string, unknown>;
}
