import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { renderCard } from '../../src/cards/render-card';
import { cardProblems, schemaProblems } from '../helpers/card-validation';

const CARDS_DIR = path.join(__dirname, '..', '..', 'cards');

function templates(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return templates(full);
    return name.endsWith('.card.json') ? [full] : [];
  });
}

describe('card templates', () => {
  const files = templates(CARDS_DIR);

  it('finds the templates', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files.map((f) => [path.relative(CARDS_DIR, f), f]))('%s binds its sample into a valid Adaptive Card 1.5', (_name, file) => {
    const template = JSON.parse(readFileSync(file, 'utf8')) as object;
    const samplePath = file.replace(/\.card\.json$/, '.sample.json');
    const sample = JSON.parse(readFileSync(samplePath, 'utf8')) as object;
    const bound = renderCard(template, sample);
    expect(bound.version).toBe('1.5');
    expect(JSON.stringify(bound)).not.toMatch(/\$\{/);
    expect(cardProblems(bound)).toEqual([]);
    // The official JSON schema of the declared version: stricter than the parser, which drops a
    // wrongly typed value (a number input given "30") without a word.
    expect(schemaProblems(bound)).toEqual([]);
  });

  it('the checker does report a broken card', () => {
    const broken = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'NoSuchElement' }, { type: 'Input.Text' }] };
    expect(cardProblems(broken).length).toBeGreaterThan(0);
  });
});
