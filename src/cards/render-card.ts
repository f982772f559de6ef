import * as ACData from 'adaptivecards-templating';

/**
 * A Template parses every `${...}` of its card when it is built, which costs far more than binding
 * data to it; the card templates are module constants, so each is parsed once. expand() is
 * synchronous, so one Template serves every turn.
 */
const parsed = new WeakMap<object, ACData.Template>();

function templateOf(template: object): ACData.Template {
  let ready = parsed.get(template);
  if (!ready) {
    ready = new ACData.Template(template);
    parsed.set(template, ready);
  }
  return ready;
}

/**
 * Binds an Adaptive Card template to its data. Templates hold layout only; every word a person
 * reads arrives in `data`, already translated.
 */
export function renderCard<T extends object>(template: object, data: T): Record<string, unknown> {
  const bound: unknown = templateOf(template).expand({ $root: data });
  if (typeof bound !== 'object' || bound === null) throw new Error('card template did not expand to an object');
  return bound as Record<string, unknown>;
}
