import type { Person } from './org.schema';
import { reachByUnit } from './reach.service';
import type { InstallOutcome } from './teams-install';

/**
 * Whom org:install installs hibi for: the people HR's 未インストール list names (no personal chat
 * stored, or Teams refused a delivery), or with `all` every active person. Same rules as the list,
 * so what HR reads in Teams is what the command does.
 */
export function installTargets(directory: readonly Person[], withChat: ReadonlySet<string>, refused: ReadonlySet<string>, all: boolean): Person[] {
  if (all) return directory.filter((p) => p.active);
  return reachByUnit(directory, withChat, refused).flatMap((unit) => [...unit.notInstalled, ...unit.blocked]);
}

/** Graph names a user by object id or UPN; the Entra id is certain, the address is the fallback for people imported without it. */
export function graphUserOf(person: Person): string | undefined {
  return person.aadObjectId ?? person.email;
}

export interface InstallResult {
  person: Person;
  outcome: InstallOutcome;
}

/** The dry run: by unit, who would get hibi. */
export function formatTargets(targets: readonly Person[]): string {
  const byUnit = new Map<string, string[]>();
  for (const p of targets) {
    const unit = p.unit ?? '課なし';
    byUnit.set(unit, [...(byUnit.get(unit) ?? []), `${p.name}${graphUserOf(p) ? '' : '（Entra ID もメールもないためできません）'}`]);
  }
  return [...byUnit].map(([unit, names]) => `  ${unit}（${names.length} 名）: ${names.join('、')}`).join('\n');
}

/** installed / already / failed with the reason for each failure. */
export function formatInstallSummary(results: readonly InstallResult[]): string {
  const count = (kind: InstallOutcome['kind']) => results.filter((r) => r.outcome.kind === kind).length;
  const lines = [`インストールしました: ${count('installed')} 名`, `すでにインストール済み: ${count('already')} 名`, `失敗: ${count('failed')} 名`];
  for (const { person, outcome } of results) if (outcome.kind === 'failed') lines.push(`  ${person.name}（${person.id}）: ${outcome.reason}`);
  return lines.join('\n');
}
