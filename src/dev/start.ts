import { start } from '../main';
import { buildDemoOrg } from '../features/org/demo-org';
import { OrgRepository } from '../features/org/org.repository';
import { TableClientFactory } from '../storage/table-client-factory';
import { startPlayground } from './playground';

/**
 * `npm start`: Azurite + hibi + the Agents Playground, with the Japanese demo town loaded, so a
 * newcomer sees hibi answer in Teams with nothing to configure.
 */
async function main(): Promise<void> {
  const running = await start(process.env);
  if (running.config.production) {
    console.log('MicrosoftAppId is set: production mode, the Playground and the demo town are not started.');
    return;
  }
  const tenantId = running.config.env.DEV_TENANT_ID;
  const org = new OrgRepository(new TableClientFactory(running.storage));
  const result = await org.importDirectory(tenantId, buildDemoOrg());
  if (!(await org.getSettings(tenantId))) await org.saveSettings(tenantId, { defaultLocale: 'ja', importedAt: new Date().toISOString() });
  console.log(`demo town loaded: ${result.created + result.updated} people (厚真町役場, tenant ${tenantId})`);

  const playground = await startPlayground({
    botEndpoint: `http://localhost:${running.port}/api/messages`,
    log: (line) => console.log(`[playground] ${line}`),
  });
  console.log(`\nhibi is running. Open ${playground.url} in your browser (you are 住民課の主事, A0100) and send 「ヘルプ」.\n`);

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
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
