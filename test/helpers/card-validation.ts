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
