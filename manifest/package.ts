/** `npm run package`: builds dist/hibi-app.zip for upload to Teams from BOT_ID (or MicrosoftAppId). */
import { join } from 'node:path';
import { ManifestError, botIdFromEnv, buildManifest, writePackage } from './manifest-package';

const botId = botIdFromEnv(process.env);
if (!botId.ok) {
  console.error(botId.message);
  process.exit(1);
}

const outFile = join(__dirname, '..', 'dist', 'hibi-app.zip');
try {
  const entries = writePackage(buildManifest(botId.botId), { outFile });
  console.log(`wrote dist/hibi-app.zip (${entries.join(', ')}) for bot ${botId.botId}`);
} catch (error) {
  if (!(error instanceof ManifestError)) throw error;
  console.error(error.message);
  process.exit(1);
}
