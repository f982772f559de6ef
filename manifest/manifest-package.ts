import AdmZip from 'adm-zip';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

export const MANIFEST_DIR = __dirname;
export const BOT_ID_PLACEHOLDER = '${{BOT_ID}}';
const GUID_EXAMPLE = '2f1c0a6e-3b4d-4c5e-8f90-a1b2c3d4e5f6';
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
      message: `missing environment variable BOT_ID (or MicrosoftAppId): expected the Azure Bot's Microsoft App ID, a GUID such as ${GUID_EXAMPLE}`,
    };
  }
  const value = env[name] ?? '';
  const parsed = z.uuid().safeParse(value);
  return parsed.success
    ? { ok: true, botId: parsed.data }
    : {
        ok: false,
        message: `invalid environment variable ${name}: expected the Azure Bot's Microsoft App ID, a GUID such as ${GUID_EXAMPLE} (got "${value}")`,
      };
}

/**
 * What the packager fills in, by the environment variable that carries each; manifest.json and the
 * language files name them as `${{NAME}}`. Only `npm run package` reads them, never the running app.
 */
export const PACKAGE_VARIABLES = ['BOT_ID', 'BOT_DOMAIN', 'APP_WEBSITE_URL', 'APP_PRIVACY_URL', 'APP_TERMS_URL', 'ORG_NAME', 'ORG_NAME_EN'] as const;
export type PackageVariable = (typeof PACKAGE_VARIABLES)[number];
export type PackageValues = Record<PackageVariable, string>;

const httpsUrl = z.url({ protocol: /^https$/, hostname: z.regexes.domain }).max(2048);
/** One line of text: Teams shows it as is, and a line break or control character would show as garbage. */
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !/\p{Cc}/u.test(s));

/** The variables other than BOT_ID, with what each must hold; the `expected` text is the error message's. */
const INPUTS: Record<Exclude<PackageVariable, 'BOT_ID' | 'ORG_NAME_EN'>, { schema: z.ZodType<string>; expected: string }> = {
  BOT_DOMAIN: {
    schema: z.string().regex(z.regexes.domain),
    expected: "the bot's host name alone, without https:// or a path, such as hibi-app.azurewebsites.net",
  },
  APP_WEBSITE_URL: { schema: httpsUrl, expected: "the https address of the app's support page, such as https://www.town.example.lg.jp/hibi" },
  APP_PRIVACY_URL: { schema: httpsUrl, expected: 'the https address of the privacy statement, such as https://www.town.example.lg.jp/hibi/privacy' },
  APP_TERMS_URL: { schema: httpsUrl, expected: 'the https address of the terms of use, such as https://www.town.example.lg.jp/hibi/terms' },
  ORG_NAME: {
    schema: text(32),
    expected: 'the organisation shown in Teams as the developer and in the Japanese description, one line of at most 32 characters, such as 〇〇町役場',
  },
};
const ORG_NAME_EN_EXPECTED =
  "the organisation's name in the English description, one line of at most 100 characters, such as Example Town Hall (unset = ORG_NAME)";

export type PackageConfigResult = { ok: true; values: PackageValues } | { ok: false; message: string };

/**
 * Reads every packaging variable; the message has one line per missing or bad variable, naming it and
 * what is expected. An empty variable counts as unset.
 */
export function packageConfigFromEnv(env: NodeJS.ProcessEnv): PackageConfigResult {
  const errors: string[] = [];
  const values: Partial<PackageValues> = {};
  const botId = botIdFromEnv(env);
  if (botId.ok) values.BOT_ID = botId.botId;
  else errors.push(botId.message);
  const read = (name: PackageVariable, schema: z.ZodType<string>, expected: string, optional = false): void => {
    const value = env[name];
    if (value === undefined || value === '') {
      if (!optional) errors.push(`missing environment variable ${name}: expected ${expected}`);
      return;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) values[name] = parsed.data;
    else errors.push(`invalid environment variable ${name}: expected ${expected} (got ${JSON.stringify(value)})`);
  };
  for (const [name, { schema, expected }] of Object.entries(INPUTS)) read(name as PackageVariable, schema, expected);
  read('ORG_NAME_EN', text(100), ORG_NAME_EN_EXPECTED, true);
  if (errors.length > 0) return { ok: false, message: errors.join('\n') };
  return { ok: true, values: { ...values, ORG_NAME_EN: values.ORG_NAME_EN ?? values.ORG_NAME } as PackageValues };
}

/**
 * Replaces every `${{NAME}}` in the template's strings. Works on the parsed JSON, so a value with a
 * quote or a backslash cannot break it. A placeholder with no value would ship to Teams literally, so it throws.
 */
export function fillPlaceholders(template: unknown, values: Partial<Record<string, string>>, file: string): unknown {
  const unknown = new Set<string>();
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      return node.replace(/\$\{\{([^}]*)\}\}/g, (placeholder, name: string) => {
        const value = Object.hasOwn(values, name) ? values[name] : undefined;
        if (value === undefined) unknown.add(placeholder);
        return value ?? placeholder;
      });
    }
    if (Array.isArray(node)) return node.map(fill);
    if (node !== null && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, fill(value)]));
    return node;
  };
  const filled = fill(template);
  if (unknown.size > 0) throw new ManifestError(`${file} has a placeholder the packager cannot fill`, [...unknown]);
  return filled;
}

function readJson(dir: string, file: string): unknown {
  return JSON.parse(readFileSync(join(dir, file), 'utf8'));
}

/** manifest.json with the packaging values filled in; the result is not validated yet. */
export function buildManifest(values: PackageValues, manifestDir: string = MANIFEST_DIR): Record<string, unknown> {
  return fillPlaceholders(readJson(manifestDir, 'manifest.json'), values, 'manifest.json') as Record<string, unknown>;
}

/** A language file (such as en-us.json) with the packaging values filled in; not validated yet. */
export function buildLocalization(file: string, values: PackageValues, manifestDir: string = MANIFEST_DIR): Record<string, unknown> {
  return fillPlaceholders(readJson(manifestDir, file), values, file) as Record<string, unknown>;
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
  /** Filled into the language files too. */
  values: PackageValues;
  /** Where the icons and language files named by the manifest live. */
  sourceDir?: string;
}

/**
 * Writes the app package Teams accepts for upload: manifest.json at the zip root plus the icons and
 * language files it names. Refuses to write an invalid package, since Teams would only reject it later
 * with a vaguer error. Returns the zip's entry names.
 */
export function writePackage(manifest: unknown, { outFile, values, sourceDir = MANIFEST_DIR }: PackageOptions): string[] {
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
    const strings = buildLocalization(file, values, sourceDir);
    const errors = validateLocalization(strings);
    if (errors.length > 0) throw new ManifestError(`${file} does not match the Teams v1.19 localization schema`, errors);
    zip.addFile(file, Buffer.from(`${JSON.stringify(strings, null, 2)}\n`, 'utf8'));
  }

  mkdirSync(dirname(outFile), { recursive: true });
  zip.writeZip(outFile);
  return zip.getEntries().map((entry) => entry.entryName);
}
