import AdmZip from 'adm-zip';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

export const MANIFEST_DIR = __dirname;
export const BOT_ID_PLACEHOLDER = '${{BOT_ID}}';
const SCHEMA_DIR = join(__dirname, 'schema', 'v1.19');

/** The fields packaging reads; everything else is checked by the vendored schema alone. */
export interface TeamsManifest {
  icons: { color: string; outline: string };
  localizationInfo?: { defaultLanguageTag: string; additionalLanguages?: { languageTag: string; file: string }[] };
  [field: string]: unknown;
}

export class ManifestError extends Error {
  constructor(
    message: string,
    readonly errors: string[],
  ) {
    super(`${message}\n${errors.join('\n')}`);
  }
}

export type BotIdResult = { ok: true; botId: string } | { ok: false; message: string };

/** BOT_ID wins so a packaging run can target another bot than the one in the shell's MicrosoftAppId. */
export function botIdFromEnv(env: NodeJS.ProcessEnv): BotIdResult {
  const name = env.BOT_ID ? 'BOT_ID' : env.MicrosoftAppId ? 'MicrosoftAppId' : undefined;
  if (name === undefined) {
    return {
      ok: false,
      message: 'missing environment variable BOT_ID (or MicrosoftAppId): expected the Azure Bot\'s Microsoft App ID, a GUID such as 2f1c0a6e-3b4d-4c5e-8f90-a1b2c3d4e5f6',
    };
  }
  const value = env[name] ?? '';
  const parsed = z.uuid().safeParse(value);
  return parsed.success
    ? { ok: true, botId: parsed.data }
    : {
        ok: false,
        message: `invalid environment variable ${name}: expected the Azure Bot's Microsoft App ID, a GUID such as 2f1c0a6e-3b4d-4c5e-8f90-a1b2c3d4e5f6 (got "${value}")`,
      };
}

/** Substitutes the bot id into manifest.json; the result is not validated yet. */
export function buildManifest(botId: string, manifestDir: string = MANIFEST_DIR): Record<string, unknown> {
  const template = readFileSync(join(manifestDir, 'manifest.json'), 'utf8');
  const text = template.split(BOT_ID_PLACEHOLDER).join(botId);
  // Only BOT_ID is known here; any other placeholder would ship to Teams literally.
  const leftover = /\$\{\{[^}]*\}\}/.exec(text);
  if (leftover) throw new ManifestError('manifest.json has a placeholder the packager cannot fill', [leftover[0]]);
  return JSON.parse(text) as Record<string, unknown>;
}

function loadSchema(file: string): object {
  // Teams publishes draft-04 schemas, for which Ajv 8 has no meta-schema. The keywords they use
  // mean the same in Ajv's default draft, so the declaration is dropped rather than adding a dependency.
  const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as Record<string, unknown>;
  delete schema.$schema;
  return schema;
}

let validators: { manifest: ValidateFunction<TeamsManifest>; localization: ValidateFunction } | undefined;

function getValidators(): NonNullable<typeof validators> {
  if (!validators) {
    // The schemas are Microsoft's: strict mode would log warnings about their style, not our manifest, and the
    // localization schema has patterns (a bare "]") that only compile without the regex "u" flag.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    validators = {
      manifest: ajv.compile<TeamsManifest>(loadSchema('MicrosoftTeams.schema.json')),
      localization: ajv.compile(loadSchema('MicrosoftTeams.Localization.schema.json')),
    };
  }
  return validators;
}

function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    // Ajv leaves the offending name or the allowed values out of the message itself.
    const params = e.params as Record<string, unknown>;
    const detail = params.additionalProperty ?? params.allowedValues ?? params.allowedValue;
    return `${e.instancePath || '(root)'} ${e.message ?? e.keyword}${detail === undefined ? '' : `: ${JSON.stringify(detail)}`}`;
  });
}

/** Errors against the vendored Teams v1.19 manifest schema; empty when the manifest is valid. */
export function validateManifest(manifest: unknown): string[] {
  const { manifest: validate } = getValidators();
  return validate(manifest) ? [] : formatErrors(validate.errors);
}

/** Errors against the vendored Teams v1.19 localization schema (files such as en-us.json). */
export function validateLocalization(strings: unknown): string[] {
  const { localization: validate } = getValidators();
  return validate(strings) ? [] : formatErrors(validate.errors);
}

export interface PackageOptions {
  outFile: string;
  /** Where the icons and language files named by the manifest live. */
  sourceDir?: string;
}

/**
 * Writes the app package Teams accepts for upload: manifest.json at the zip root plus the icons and
 * language files it names. Refuses to write an invalid package, since Teams would only reject it later
 * with a vaguer error. Returns the zip's entry names.
 */
export function writePackage(manifest: unknown, { outFile, sourceDir = MANIFEST_DIR }: PackageOptions): string[] {
  const { manifest: validate } = getValidators();
  if (!validate(manifest)) throw new ManifestError('manifest.json does not match the Teams v1.19 schema', formatErrors(validate.errors));

  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'));
  // Entries keep the manifest's relative paths, which is how Teams resolves them inside the zip.
  const addSource = (file: string): void => {
    zip.addFile(file, readFileSync(join(sourceDir, file)));
  };
  addSource(manifest.icons.color);
  addSource(manifest.icons.outline);
  for (const { file } of manifest.localizationInfo?.additionalLanguages ?? []) {
    const errors = validateLocalization(JSON.parse(readFileSync(join(sourceDir, file), 'utf8')));
    if (errors.length > 0) throw new ManifestError(`${file} does not match the Teams v1.19 localization schema`, errors);
    addSource(file);
  }

  mkdirSync(dirname(outFile), { recursive: true });
  zip.writeZip(outFile);
  return zip.getEntries().map((entry) => entry.entryName);
}
