import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import addFormats from 'ajv-formats';

// adaptivecards' package entry is extension-less ESM that Node 20 cannot load; its UMD bundle works.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

/** Every problem the official Adaptive Cards parser reports for a bound card, as readable lines. */
export function cardProblems(card: object): string[] {
  const context = new AC.SerializationContext();
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of parsed.validateProperties().validationEvents) problems.push(`validate: ${event.message}`);
  return problems;
}

/**
 * The value an input shows once the official renderer has parsed the card. A value of the wrong type
 * (a number input given "30") is dropped by the renderer without a warning: the input shows empty.
 */
export function shownInputValue(card: object, id: string): unknown {
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, new AC.SerializationContext());
  const input = parsed.getAllInputs().find((i) => i.id === id);
  if (!input) throw new Error(`no input ${id} in the card`);
  return (input as unknown as { defaultValue?: unknown }).defaultValue;
}

type Schema = Record<string, unknown> & { definitions: Record<string, Record<string, unknown>> };

interface Validators {
  card: ValidateFunction;
  /** Against one definition (an element, action or inline type); undefined for a type the schema does not have. */
  ofType(type: string): ValidateFunction | undefined;
}

/** Card `version` → the vendored schema (cards/schema/README.md says where each came from). */
const SCHEMA_FILES: Record<string, string> = { '1.5': '1.5.0/adaptive-card.json' };
const SCHEMA_DIR = path.join(__dirname, '..', '..', 'cards', 'schema');

/**
 * Teams renders, in version 1.5 cards, two things the published 1.5.0 schema lacks. Each is added by
 * name, so any other unknown property or value still fails.
 */
function addTeamsExtensions(schema: Schema): void {
  const defs = schema.definitions;
  // "filtered" is version 1.5 in the schema's own source (schemas/src/enums/ChoiceInputStyle.json), but
  // the compiled 1.5.0 file was generated before it was added; 1.6.0 has it.
  const styles = (defs.ChoiceInputStyle!.anyOf as { enum?: string[] }[]).find((s) => s.enum)!;
  styles.enum!.push('filtered');
  // Teams' dynamic typeahead (choices.data = Data.Query) works in 1.5 cards; the schema has it from 1.6.0,
  // whose definition this is, without its descriptions.
  defs['Data.Query'] = {
    type: 'object',
    additionalProperties: false,
    required: ['dataset'],
    properties: { type: { enum: ['Data.Query'] }, dataset: { type: 'string' }, count: { type: 'number' }, skip: { type: 'number' } },
  };
  (defs['Input.ChoiceSet']!.properties as Record<string, unknown>)['choices.data'] = { $ref: '#/definitions/Data.Query' };
}

const validators = new Map<string, Validators>();

function validatorsFor(version: string): Validators | undefined {
  const file = SCHEMA_FILES[version];
  if (!file) return undefined;
  let ready = validators.get(version);
  if (!ready) {
    const schema = JSON.parse(readFileSync(path.join(SCHEMA_DIR, file), 'utf8')) as Schema;
    // Written for draft-06 with a draft-04 style "id", which Ajv 8 refuses; "$id" is what draft-06 means by it.
    schema.$id = schema.id;
    delete schema.id;
    addTeamsExtensions(schema);
    // strict: false because the schema carries its own annotation keywords ("version") that Ajv does not know.
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addMetaSchema(draft06);
    addFormats(ajv);
    ajv.addSchema(schema);
    const id = schema.$id as string;
    const byType = new Map<string, ValidateFunction | undefined>();
    ready = {
      card: ajv.compile({ $ref: id }),
      ofType: (type) => {
        if (!byType.has(type)) byType.set(type, schema.definitions[type] ? ajv.compile({ $ref: `${id}#/definitions/${type}` }) : undefined);
        return byType.get(type);
      },
    };
    validators.set(version, ready);
  }
  return ready;
}

interface Typed {
  pointer: string;
  node: Record<string, unknown>;
  type: string;
}

/** Every object in the card that names its `type`, with its JSON pointer; an action's `data` is the bot's own, not the schema's. */
function typedNodes(node: unknown, pointer: string, found: Typed[] = []): Typed[] {
  if (Array.isArray(node)) node.forEach((child, i) => typedNodes(child, `${pointer}/${i}`, found));
  else if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    const type = typeof record.type === 'string' ? record.type : undefined;
    if (type) found.push({ pointer, node: record, type });
    for (const [key, child] of Object.entries(record)) {
      if (key === 'data' && type?.startsWith('Action.')) continue;
      typedNodes(child, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, found);
    }
  }
  return found;
}

function valueAt(node: unknown, pointer: string): unknown {
  const keys = pointer
    .split('/')
    .slice(1)
    .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
  return keys.reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], node);
}

function explain(error: ErrorObject, node: unknown): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `has "${String(params.additionalProperty)}", which the schema does not allow here`;
  const got = ['type', 'enum', 'pattern', 'format'].includes(error.keyword) ? `, got ${JSON.stringify(valueAt(node, error.instancePath))}` : '';
  const allowed = error.keyword === 'enum' ? ` ${JSON.stringify(params.allowedValues)}` : '';
  return `${error.message ?? error.keyword}${allowed}${got}`;
}

const under = (pointer: string, parent: string): boolean => pointer === parent || pointer.startsWith(`${parent}/`);

/**
 * Problems the official Adaptive Card JSON schema of the card's declared `version` finds, one line per
 * problem: the JSON pointer, the element's type, what is wrong — e.g.
 * `/body/4/value (Input.Number): must be number, got "30"`.
 *
 * The schema lists every element type in one anyOf, so Ajv alone reports a mistake once for each type
 * the element is not. So each typed object is also checked against its own type's definition, and each
 * problem is reported by the innermost typed object it belongs to.
 */
export function schemaProblems(card: object): string[] {
  const version = String((card as { version?: unknown }).version);
  const check = validatorsFor(version);
  if (!check) return [`version "${version}": no vendored schema in cards/schema (have ${Object.keys(SCHEMA_FILES).join(', ')})`];
  if (check.card(card)) return [];
  const nodes = typedNodes(card, '').map((t) => ({ ...t, validate: check.ofType(t.type) }));
  const failing = nodes.filter((t) => !t.validate?.(t.node));
  const problems = failing.flatMap((t) => {
    if (!t.validate) return [`${t.pointer || '/'} (${t.type}): no such type in Adaptive Cards ${version}`];
    t.validate(t.node);
    const lines = new Set<string>();
    for (const error of t.validate.errors ?? []) {
      const at = t.pointer + error.instancePath;
      const inner = nodes.filter((n) => n !== t && n.pointer.startsWith(`${t.pointer}/`) && under(at, n.pointer));
      if (inner.some((n) => failing.includes(n))) continue; // that object reports it itself
      const misplaced = inner.at(-1);
      lines.add(misplaced ? `${misplaced.pointer} (${misplaced.type}): not allowed inside ${t.type} here` : `${at} (${t.type}): ${explain(error, t.node)}`);
    }
    return [...lines];
  });
  // The card failed as a whole, yet every typed object passes its own definition: nothing narrower to say.
  return problems.length > 0 ? problems : [`the card does not match the Adaptive Cards ${version} schema`];
}
