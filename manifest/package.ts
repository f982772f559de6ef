/**
 * `npm run package`: builds dist/hibi-app.zip for upload to Teams. Every value that differs between
 * organisations comes from the environment (manifest/package.env.example lists them); a missing or bad
 * one stops it with one line per variable. `--out <file>` writes the zip elsewhere.
 */
import { join, resolve } from 'node:path';
import { ManifestError, buildManifest, packageConfigFromEnv, writePackage } from './manifest-package';

const config = packageConfigFromEnv(process.env);
if (!config.ok) {
  console.error(config.message);
  process.exit(1);
}

const outIndex = process.argv.indexOf('--out');
const outArg = outIndex === -1 ? undefined : process.argv[outIndex + 1];
if (outIndex !== -1 && !outArg) {
  console.error('--out needs a file name');
  process.exit(1);
}
const outFile = outArg ? resolve(outArg) : join(__dirname, '..', 'dist', 'hibi-app.zip');
const { values } = config;
try {
  const entries = writePackage(buildManifest(values), { outFile, values });
  console.log(`wrote ${outFile} (${entries.join(', ')}) for bot ${values.BOT_ID} at ${values.BOT_DOMAIN}, developer ${values.ORG_NAME}`);
} catch (error) {
  if (!(error instanceof ManifestError)) throw error;
  console.error(error.message);
  process.exit(1);
}
