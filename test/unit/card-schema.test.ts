import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderCard } from '../../src/cards/render-card';
import { schemaProblems } from '../helpers/card-validation';

// cards.test.ts holds every template to the schema; this file shows the check itself catches what it should.

const CARDS_DIR = path.join(__dirname, '..', '..', 'cards');
const read = (file: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(CARDS_DIR, file), 'utf8')) as Record<string, unknown>;
const card = (...body: object[]): object => ({ type: 'AdaptiveCard', version: '1.5', body });

describe('the Adaptive Card schema check', () => {
  describe('an Input.Number value (the settings card, as HR sees it)', () => {
    const settings = (reminderAfterMinutes: unknown): object => {
      const sample = read('checkin/settings.sample.json') as { values: Record<string, unknown> };
      return renderCard(read('checkin/settings.card.json'), { ...sample, values: { ...sample.values, reminderAfterMinutes } });
    };

    it('fails a string, naming where and what', () => {
      expect(schemaProblems(settings('30'))).toEqual(['/body/4/value (Input.Number): must be number, got "30"']);
    });

    it('passes a number', () => {
      expect(schemaProblems(settings(30))).toEqual([]);
    });

    it('passes null, which the template leaves out (typed text that is not a number shows an empty field)', () => {
      const bound = settings(null) as { body: Record<string, unknown>[] };
      expect(bound.body[4]).not.toHaveProperty('value');
      expect(schemaProblems(bound)).toEqual([]);
    });
  });

  it('names each mistake once, at the innermost element, whatever it is nested in', () => {
    const broken = card(
      { type: 'Container', items: [{ type: 'Input.Number', id: 'n', value: '30' }, { type: 'NoSuchElement' }, { type: 'Action.Submit' }] },
      { type: 'TextBlock', text: 'x', colour: 'red' },
    );
    expect(schemaProblems(broken)).toEqual([
      '/body/0/items/2 (Action.Submit): not allowed inside Container here',
      '/body/0/items/0/value (Input.Number): must be number, got "30"',
      '/body/0/items/1 (NoSuchElement): no such type in Adaptive Cards 1.5',
      '/body/1 (TextBlock): has "colour", which the schema does not allow here',
    ]);
  });

  it("leaves an action's data to the bot", () => {
    const submit = { type: 'AdaptiveCard', version: '1.5', actions: [{ type: 'Action.Submit', title: 'OK', data: { type: 'anything', verb: 'x' } }] };
    expect(schemaProblems(submit)).toEqual([]);
  });

  it('refuses a version with no vendored schema', () => {
    expect(schemaProblems({ type: 'AdaptiveCard', version: '1.6', body: [] })).toEqual(['version "1.6": no vendored schema in cards/schema (have 1.5)']);
  });

  describe('the Teams extensions it allows, and nothing beside them', () => {
    const choices = (extra: object): object => card({ type: 'Input.ChoiceSet', id: 'c', choices: [{ title: 'a', value: 'a' }], ...extra });

    it('a filtered choice set and a Data.Query for dynamic typeahead', () => {
      expect(schemaProblems(choices({ style: 'filtered', 'choices.data': { type: 'Data.Query', dataset: 'people' } }))).toEqual([]);
    });

    it('but not another style', () => {
      expect(schemaProblems(choices({ style: 'searchable' }))[0]).toMatch(/^\/body\/0\/style \(Input\.ChoiceSet\): must be equal to one of the allowed values/);
    });

    it('nor a Data.Query without its dataset or with properties of its own', () => {
      expect(schemaProblems(choices({ 'choices.data': { type: 'Data.Query', datasets: 'people' } }))).toEqual([
        `/body/0/choices.data (Data.Query): must have required property 'dataset'`,
        '/body/0/choices.data (Data.Query): has "datasets", which the schema does not allow here',
      ]);
    });

    it('nor choices.data on another input', () => {
      expect(schemaProblems(card({ type: 'Input.Text', id: 't', 'choices.data': { type: 'Data.Query', dataset: 'people' } }))).toEqual([
        '/body/0 (Input.Text): has "choices.data", which the schema does not allow here',
      ]);
    });
  });
});
