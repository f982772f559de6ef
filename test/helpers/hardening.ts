import { Writable } from 'node:stream';
import { CHECKIN_TABLES } from '../../src/features/checkin/checkin.repository';
import { UNIT_SCHEDULES_TABLE } from '../../src/features/checkin/unit-schedule.repository';
import { KUDOS_TABLES } from '../../src/features/kudos/kudos.repository';
import { NEARMISS_TABLES } from '../../src/features/nearmiss/nearmiss.repository';
import { ONEONONE_TABLES } from '../../src/features/oneonone/oneonone.repository';
import { ja } from '../../src/i18n/catalog-ja';
import { en } from '../../src/i18n/catalog-en';
import type { MessageKey } from '../../src/i18n/i18n';
import { JOB_RUNS_TABLE } from '../../src/scheduler/job-runs.repository';
import type { TableClientFactory } from '../../src/storage/table-client-factory';
import { TABLES } from '../../src/storage/table-names';
import type { RecordedCall } from './connector-double';

/**
 * Every table a feature writes (directory, preferences, check-ins, 1on1s, near-misses, kudos,
 * schedules, the outbox). Not the conversation references and Teams user ids: hibi refreshes those
 * from any activity it reads, by design.
 */
export const FEATURE_TABLES: readonly string[] = [
  TABLES.people,
  TABLES.personIndex,
  TABLES.units,
  TABLES.orgSettings,
  TABLES.preferences,
  TABLES.outbox,
  TABLES.outboxPending,
  ...Object.values(CHECKIN_TABLES),
  UNIT_SCHEDULES_TABLE,
  JOB_RUNS_TABLE,
  ...Object.values(ONEONONE_TABLES),
  ...Object.values(NEARMISS_TABLES),
  ...Object.values(KUDOS_TABLES),
];

/** Every row of the tenant in the feature tables, with its etag: any insert, update or delete changes it. */
export async function snapshotTenant(tables: TableClientFactory, tenantId: string, names: readonly string[] = FEATURE_TABLES): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  // Every partition key starts with the tenant id, alone or followed by "|"; "}" sorts right after "|".
  const filter = `PartitionKey ge '${tenantId}' and PartitionKey lt '${tenantId}}'`;
  for (const name of names) {
    for await (const entity of tables.table(name).listEntities({ queryOptions: { filter } })) {
      out.set(`${name}/${entity.partitionKey}/${entity.rowKey}`, entity.etag);
    }
  }
  return out;
}

/** The rows that differ between two snapshots, for a readable failure. */
export function changedRows(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k));
}

/** A pino destination keeping parsed lines, for tests that look for a failed turn. */
export class LogLines extends Writable {
  readonly lines: Record<string, unknown>[] = [];

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      try {
        this.lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        this.lines.push({ msg: line });
      }
    }
    done();
  }

  /** Error-level lines (a failed turn or request), from the given index on. */
  errorsSince(index: number): Record<string, unknown>[] {
    return this.lines.slice(index).filter((l) => typeof l.level === 'number' && l.level >= 50);
  }
}

/** Every string an outgoing message shows: its text and every string inside its card. */
export function shownStrings(call: RecordedCall): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node === 'string') out.push(node);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(call.body.text);
  walk(call.body.attachments);
  return out;
}

function templateRegex(template: string): RegExp {
  // Braces are left unescaped so the placeholders can be found; a lone brace is literal in a non-unicode RegExp.
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return new RegExp(escaped.replace(/\{\w+\}/g, '[\\s\\S]*?'));
}

/** Catalogue entries, in both languages, whose keys say they refuse something: validation errors and refusals. */
const REFUSAL_KEY =
  /error|invalid|formError|notAllowed|privateOnly|notFound|hrOnly|notOwn|notYours|noMembers|noPair|already|whichUnit|closed|noUnit|pickValue|nobody|past/;
const NOT_A_REFUSAL: readonly MessageKey[] = ['error.generic', 'error.storage', 'nearmiss.digest.noUnit'];

const refusals: RegExp[] = (Object.keys(ja) as MessageKey[])
  .filter((key) => REFUSAL_KEY.test(key) && !NOT_A_REFUSAL.includes(key))
  .flatMap((key) => [templateRegex(ja[key]), templateRegex(en[key])]);

const turnFailures: string[] = [ja['error.generic'], en['error.generic'], ja['error.storage'], en['error.storage']];

/** True when the message tells the person what was wrong with what they sent. */
export function isRefusal(call: RecordedCall): boolean {
  return shownStrings(call).some((s) => refusals.some((r) => r.test(s)));
}

/** True when the message is the apology of a turn that failed (an exception reached the adapter). */
export function isTurnFailure(call: RecordedCall): boolean {
  return shownStrings(call).some((s) => turnFailures.includes(s));
}
