import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const RUNBOOK = path.join(ROOT, 'docs', '運用手順.md');
const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** Every shell line of the runbook's code blocks, with variable settings in front of a command taken off. */
function runbookCommands(): string[] {
  const text = readFileSync(RUNBOOK, 'utf8');
  const blocks = [...text.matchAll(/```(?:bash|sh|shell)\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const lines = blocks.flatMap((block) => block.replace(/\\\n\s*/g, ' ').split('\n'));
  return lines
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'))
    .map((line) => line.replace(/^(?:export\s+)?(?:[A-Za-z_][A-Za-z0-9_]*=(?:"[^"]*"|'[^']*'|\$\([^)]*\)|\S*)\s*)+/, '').trim())
    .filter((line) => line.length > 0);
}

/** The text of everything that runs the project: its tests and its CI and packaging scripts. */
function runnersText(): string {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.push(full);
    }
  };
  for (const dir of ['test', '.ci', 'scripts']) {
    try {
      walk(path.join(ROOT, dir));
    } catch {
      // a folder the project does not have
    }
  }
  return files.map((f) => readFileSync(f, 'utf8')).join('\n');
}

describe('docs/運用手順.md (the runbook for a town’s IT)', () => {
  const commands = runbookCommands();
  const runners = runnersText();

  it('has commands to follow', () => {
    expect(commands.length).toBeGreaterThan(10);
  });

  it('gives only verbatim az commands and npm commands the repository itself runs', () => {
    const offending = commands.filter((command) => !/^az\s/.test(command) && !/^npm (ci|run \S+)/.test(command));
    expect(offending).toEqual([]);
  });

  it('names only npm scripts that exist, and each is run by a test or a script of the repository', () => {
    const named = [...new Set(commands.map((c) => /^npm run (\S+)/.exec(c)?.[1]).filter((s): s is string => s !== undefined))];
    expect(named.filter((name) => scripts[name] === undefined)).toEqual([]);
    const unexercised = named.filter((name) => {
      const target = /([\w./-]+\.ts)\b/.exec(scripts[name] ?? '')?.[1];
      const byFile = target !== undefined && runners.includes(path.basename(target));
      return !byFile && !runners.includes(`npm run ${name}`) && !runners.includes(`'${name}'`);
    });
    expect(unexercised).toEqual([]);
  });

  it('uses only az command groups that exist', () => {
    const groups = new Set(['login', 'account', 'group', 'deployment', 'webapp', 'ad', 'rest', 'role', 'monitor', 'storage', 'bot', 'identity', 'extension']);
    const unknown = commands.filter((c) => c.startsWith('az ')).filter((c) => !groups.has(c.split(/\s+/)[1] ?? ''));
    expect(unknown).toEqual([]);
  });
});
