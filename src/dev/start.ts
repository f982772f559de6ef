import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { start } from '../main';
import { shiftedClock, systemClock } from '../shared/clock';
import { hrStorageOf } from '../storage/storage-target';
import { TableClientFactory } from '../storage/table-client-factory';
import { prepareDemoTown, type DemoHistoryResult } from './demo-history';
import { DemoRoleError, demoPersonOf, readDemoRole, TRY_THESE, whoYouAre, writePlaygroundConfig } from './demo-roles';
import { startPlayground } from './playground';

function historyLine(h: DemoHistoryResult): string {
  if (h.days === 0) return `demo history: already loaded (${h.from} 〜 ${h.to})`;
  const counts = `${h.checkins} check-ins, ${h.leaves} leave days, ${h.oneonones} 1on1s, ${h.nearmisses} near-misses, ${h.kudos} kudos, ${h.surveyAnswers} survey answers, ${h.trainingAttendance} training attendances, ${h.ojtRecords} OJT records, ${h.leaveGrants} paid-leave grants`;
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  return `demo history: ${h.days} office days ${h.from} 〜 ${h.to}: ${counts}; written in ${seconds(h.writeMs)}, KPI rolled up in ${seconds(h.rollupMs)}`;
}

/**
 * `npm start [-- --as staff|manager|hr]`: Azurite + hibi + the Agents Playground, with the Japanese
 * demo town and its half-year of history loaded, so a newcomer sees hibi answer in Teams, with real
 * figures behind レポート, with nothing to configure.
 */
async function main(): Promise<void> {
  // Before anything starts: a mistyped role should cost a second, not a Playground start.
  const role = readDemoRole(process.argv.slice(2));
  const running = await start(process.env);
  if (running.config.production) {
    console.log('MicrosoftAppId is set: production mode, the Playground and the demo town are not started.');
    return;
  }
  const env = running.config.env;
  const tenantId = env.DEV_TENANT_ID;
  const tables = new TableClientFactory(running.storage);
  const hr = hrStorageOf(env);
  const clock = env.DEV_NOW ? shiftedClock(new Date(env.DEV_NOW)) : systemClock;
  const town = await prepareDemoTown({ tables, hrTables: hr ? new TableClientFactory(hr) : tables, tenantId, clock, rollupAt: env.KPI_ROLLUP_AT });
  console.log(`demo town loaded: ${town.created + town.updated} people (厚真町役場, tenant ${tenantId})`);

  const person = demoPersonOf(role, town.directory);
  // The repo's file is the 主事's; another role gets a copy with that person signed in.
  const configDir = role === 'staff' ? undefined : mkdtempSync(path.join(tmpdir(), 'hibi-demo-role-'));
  const configFile = configDir && writePlaygroundConfig(configDir, person, town.directory, tenantId);
  const removeConfig = (): void => {
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  };
  process.once('exit', removeConfig);
  const [history, playground] = await Promise.all([
    town.loadHistory(),
    startPlayground({ botEndpoint: `http://localhost:${running.port}/api/messages`, configFile, log: (line) => console.log(`[playground] ${line}`) }),
  ]);
  console.log(historyLine(history));
  const hint = role === 'staff' ? '   (npm start -- --as manager: 課長 / --as hr: 人事担当)' : '';
  console.log(
    `\nhibi is running. Open ${playground.url} in your browser.\n${whoYouAre(person)}${hint}\n送ってみてください: ${TRY_THESE[role].map((t) => `「${t}」`).join(' ')}\n`,
  );

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    playground
      .stop()
      .then(() => running.stop())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof DemoRoleError ? error.message : error instanceof Error ? error.message : String(error));
  process.exit(error instanceof DemoRoleError ? 2 : 1);
});
