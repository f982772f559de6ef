import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../config';
import { readFlags, UsageError } from '../shared/cli-flags';
import { openStorage } from '../storage/open-storage';
import { azureCredential } from '../storage/storage-target';
import { TableClientFactory } from '../storage/table-client-factory';
import { ALL_TABLES } from '../storage/table-names';
import { createGraphClient, graphFailureLine } from './graph-client';
import { GraphAnswerError, readUserDelta } from './graph-directory';
import { OrgRepository } from './org.repository';
import { decodeCsv } from './org-import.service';
import { formatMappingErrors, parseSyncMapping, type SyncMapping } from './org-sync-mapping';
import { formatSyncPlan } from './org-sync-report';
import { ORG_SYNC_TABLES, OrgSyncRepository } from './org-sync.repository';
import { runOrgSync } from './org-sync.runner';
import { hasChanges } from './org-sync.service';
import { runCli } from '../shared/run-cli';

const USAGE = 'usage: npm run org:sync -- [--mapping <対応表.csv>] [--tenant <tenant id>] [--apply]';

const argsSchema = z.object({
  mapping: z.string().min(1).optional(),
  tenant: z.string().min(1).max(100).optional(),
  apply: z.boolean().default(false),
});

async function main(): Promise<number> {
  const args = readFlags(process.argv.slice(2), { mapping: 'string', tenant: 'string', apply: 'boolean' }, argsSchema);
  const config = loadConfig(process.env);
  // Teams names the Entra tenant on every activity; a single-tenant bot's own tenant is that one.
  const tenantId = args.tenant ?? config.env.MicrosoftAppTenantId ?? config.env.DEV_TENANT_ID;

  let mapping: SyncMapping | undefined;
  if (args.mapping) {
    const parsed = parseSyncMapping(decodeCsv(readFileSync(path.resolve(args.mapping))));
    if (!parsed.ok) {
      console.error(`対応表に誤りがあります（Entra ID は読んでいません。何も書き込んでいません）:\n${formatMappingErrors(parsed.errors)}`);
      return 1;
    }
    mapping = parsed.mapping;
  }

  const storage = await openStorage(config, { reuseRunning: true });
  try {
    const tables = new TableClientFactory(storage.main);
    await tables.ensureTables([...ALL_TABLES, ...Object.values(ORG_SYNC_TABLES)]);
    const graph = createGraphClient(config.env.GRAPH_BASE_URL, azureCredential(config.env));
    const origin = new URL(config.env.GRAPH_BASE_URL).origin;
    const outcome = await runOrgSync(
      { readUsers: (link) => readUserDelta(graph, origin, link), store: new OrgSyncRepository(tables), org: new OrgRepository(tables) },
      tenantId,
      { mapping, apply: args.apply, now: new Date() },
    ).catch((error: unknown) => {
      const line = error instanceof GraphAnswerError ? error.message : graphFailureLine(error, 'User.Read.All');
      if (line === undefined) throw error;
      console.error(`Entra ID を読めませんでした（何も書き込んでいません）: ${line}`);
      return undefined;
    });
    if (!outcome) return 1;
    if (outcome.kind === 'noMapping') throw new UsageError(`対応表を --mapping で指定してください（tenant=${tenantId} にはまだ反映した対応表がありません）`);
    const source = outcome.full ? '全員を読み込み' : '前回の反映からの変更を読み込み';
    console.log(`Entra ID と名簿の差分（tenant=${tenantId}、${source}）`);
    if (outcome.restarted) console.log('前回の差分リンクを Graph が覚えていなかったため、全員を読み直しました。');
    console.log(formatSyncPlan(outcome.plan, outcome.before));
    const { added, changed, deactivated } = outcome.plan;
    const counts = `追加 ${added.length} / 変更 ${changed.length} / 無効化 ${deactivated.length}`;
    if (outcome.kind === 'planned') console.log(`\n試行のみです（名簿は変えていません）: ${counts}。反映するには --apply を付けて実行してください。`);
    else console.log(hasChanges(outcome.plan) ? `\n名簿に反映しました: ${counts}` : '\n名簿に変更はありません（次回はここからの変更を読みます）');
    return 0;
  } finally {
    await storage.close();
  }
}

runCli(main, USAGE);
