import { z } from 'zod';
import { loadConfig } from '../config';
import { readFlags } from '../shared/cli-flags';
import { ConversationReferencesRepository } from '../delivery/conversation-references.repository';
import { ReachabilityRepository } from '../delivery/reachability.repository';
import { forEachLimited } from '../shared/concurrency';
import { openStorage } from '../storage/open-storage';
import { azureCredential } from '../storage/storage-target';
import { TableClientFactory } from '../storage/table-client-factory';
import { ALL_TABLES } from '../storage/table-names';
import { createGraphClient, graphFailureLine } from './graph-client';
import { OrgRepository } from './org.repository';
import { formatInstallSummary, formatTargets, graphUserOf, installTargets, type InstallResult } from './org-install.service';
import { installPersonalApp, resolveCatalogAppId, type InstallOutcome } from './teams-install';
import { runCli } from '../shared/run-cli';

const USAGE = 'usage: npm run org:install -- [--tenant <tenant id>] [--all] [--apply]';

/** Installs at once: Teams app installation is throttled per tenant; a few in flight is fast enough for a town. */
const IN_FLIGHT = 4;

const argsSchema = z.object({
  tenant: z.string().min(1).max(100).optional(),
  all: z.boolean().default(false),
  apply: z.boolean().default(false),
});

async function main(): Promise<number> {
  const args = readFlags(process.argv.slice(2), { tenant: 'string', all: 'boolean', apply: 'boolean' }, argsSchema);
  const config = loadConfig(process.env);
  const tenantId = args.tenant ?? config.env.MicrosoftAppTenantId ?? config.env.DEV_TENANT_ID;

  const storage = await openStorage(config, { reuseRunning: true });
  try {
    const tables = new TableClientFactory(storage.main);
    await tables.ensureTables(ALL_TABLES);
    const [directory, withChat, refused] = await Promise.all([
      new OrgRepository(tables).listPeople(tenantId),
      new ConversationReferencesRepository(tables).listPersonIds(tenantId),
      new ReachabilityRepository(tables).list(tenantId),
    ]);
    const refusedIds = new Set(refused.flatMap((r) => (r.recipient.kind === 'person' ? [r.recipient.personId] : [])));
    const targets = installTargets(directory, withChat, refusedIds, args.all);
    const scope = args.all ? '名簿の全員' : '未インストールの人';
    if (targets.length === 0) {
      console.log(`hibi をインストールする人はいません（${scope}、tenant=${tenantId}）`);
      return 0;
    }
    console.log(`hibi を Teams にインストールする人: ${targets.length} 名（${scope}、tenant=${tenantId}）\n${formatTargets(targets)}`);
    if (!args.apply) {
      console.log('\n試行のみです（何もインストールしていません）。インストールするには --apply を付けて実行してください。');
      return 0;
    }

    const graph = createGraphClient(config.env.GRAPH_BASE_URL, azureCredential(config.env));
    const origin = new URL(config.env.GRAPH_BASE_URL).origin;
    const failed = (error: unknown, permission: string): number => {
      const line = graphFailureLine(error, permission);
      if (line === undefined) throw error;
      console.error(`インストールできませんでした: ${line}`);
      return 1;
    };
    let catalogId: string | undefined;
    try {
      catalogId = await resolveCatalogAppId(graph, { catalogId: config.env.TEAMS_APP_CATALOG_ID, manifestId: config.env.MicrosoftAppId });
    } catch (error) {
      return failed(error, 'AppCatalog.Read.All');
    }
    if (!catalogId) {
      console.error(
        'hibi の Teams アプリが見つかりません: TEAMS_APP_CATALOG_ID を設定するか、組織のアプリカタログに hibi を登録してください（マニフェストの id = MicrosoftAppId で探します）',
      );
      return 1;
    }
    const outcomes = new Map<string, InstallOutcome>();
    try {
      await forEachLimited(targets, IN_FLIGHT, async (person) => {
        const user = graphUserOf(person);
        outcomes.set(
          person.id,
          user
            ? await installPersonalApp(graph, origin, user, catalogId)
            : { kind: 'failed', reason: 'Entra ID のオブジェクトIDもメールアドレスも名簿にありません' },
        );
      });
    } catch (error) {
      return failed(error, 'TeamsAppInstallation.ReadWriteSelfForUser.All');
    }
    const results: InstallResult[] = targets.flatMap((person) => {
      const outcome = outcomes.get(person.id);
      return outcome ? [{ person, outcome }] : [];
    });
    console.log(`\n${formatInstallSummary(results)}`);
    console.log('Teams がインストールを hibi に知らせると、hibi はその人との個人チャットを保存し、届けられるようになります。');
    return results.some((r) => r.outcome.kind === 'failed') ? 1 : 0;
  } finally {
    await storage.close();
  }
}

runCli(main, USAGE);
