import { z } from 'zod';

const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0),
);

const port = z.coerce.number().int().min(0).max(65535);

/** https anywhere; plain http only on loopback (Azurite, test doubles). */
const serviceUrl = z
  .url({ protocol: /^https?$/ })
  .refine((u) => u.startsWith('https:') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(u), { message: 'https, or http on loopback (tests)' });

/** The variables that name the main storage; production needs exactly one of them. */
export const STORAGE_VARIABLES = ['STORAGE_ACCOUNT_URL', 'STORAGE_CONNECTION_STRING'] as const;

/** Every variable the process reads; `.env.example` documents the same list. */
export const envSchema = z
  .object({
    PORT: port.default(3978),
    MicrosoftAppId: z.uuid().optional(),
    MicrosoftAppPassword: z.string().min(1).optional(),
    MicrosoftAppType: z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']).default('SingleTenant'),
    MicrosoftAppTenantId: z.uuid().optional(),
    ALLOWED_TENANTS: csv.pipe(z.array(z.string().min(1).max(100))).default([]),
    /**
     * The storage account's Table endpoint (https://<account>.table.core.windows.net), reached with an
     * Entra ID token (managed identity on Azure, `az login` on a PC): no account key anywhere.
     */
    STORAGE_ACCOUNT_URL: serviceUrl.optional(),
    /** A storage connection string with a key or SAS: Azurite, or a town that still uses keys. */
    STORAGE_CONNECTION_STRING: z.string().min(1).optional(),
    /** Which user-assigned managed identity DefaultAzureCredential uses (its client id); unset = the system one or `az login`. */
    AZURE_CLIENT_ID: z.uuid().optional(),
    /** Application Insights: set = traces and hibi's metrics go to Azure Monitor through OpenTelemetry. */
    APPLICATIONINSIGHTS_CONNECTION_STRING: z.string().min(1).optional(),
    DATA_DIR: z.string().min(1).default('.data'),
    AZURITE_TABLE_PORT: port.default(10002),
    DEV_TENANT_ID: z.string().min(1).max(100).default('00000000-0000-0000-0000-0000000000001'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DEV_NOW: z.iso.datetime({ offset: true }).optional(),
    DELIVERY_GLOBAL_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(30),
    /** How long a claimed outbox row is one instance's; a crashed instance's rows are sent again after it. */
    OUTBOX_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(120_000),
    /**
     * Recipients served at once. Each spends a Bot Connector round trip and four table writes per
     * message, so with Teams' few hundred ms the 30/s cap needs about 10; 16 leaves margin (bench/).
     */
    OUTBOX_CONCURRENCY: z.coerce.number().int().min(1).max(128).default(16),
    /** Longest idle wait of the outbox worker between polls; new rows wake it at once anyway. */
    OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(2_000),
    /** How often each instance writes its heartbeat and re-reads the others', to take its share of DELIVERY_GLOBAL_PER_SECOND. */
    DELIVERY_HEARTBEAT_MS: z.coerce.number().int().min(50).max(300_000).default(5_000),
    /** An instance whose heartbeat is older than this stops counting, and the others take over its share and its recipients. */
    DELIVERY_HEARTBEAT_EXPIRY_MS: z.coerce.number().int().min(200).max(3_600_000).default(15_000),
    SCHEDULER_ENABLED: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120000).default(10000),
    /** HR's storage account for the KPI rollup tables (HR's Excel / Power BI read them); default: the main storage. */
    HR_STORAGE_CONNECTION_STRING: z.string().min(1).optional(),
    /** HR's storage account's Table endpoint, reached with an Entra ID token like STORAGE_ACCOUNT_URL. */
    HR_STORAGE_ACCOUNT_URL: serviceUrl.optional(),
    /** When the nightly KPI rollup runs (Tokyo HH:mm, office days); each run covers every day since the last. */
    KPI_ROLLUP_AT: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a Tokyo time HH:mm, e.g. 02:00')
      .default('02:00'),
    /** Kudos one person may send a day: enough for real thanks, too few to farm a count. */
    KUDOS_DAILY_LIMIT: z.coerce.number().int().min(1).max(100).default(5),
    /** HR's own survey question file (JSON, see src/features/survey/questions.r7.json), read when a survey opens; unset = the R7 questions. */
    SURVEY_QUESTIONS_FILE: z.string().trim().min(1).optional(),
    /** Office days before a required training's first day that its reminder goes out (0 = on the day itself). */
    TRAINING_REMINDER_DAYS_BEFORE: z.coerce.number().int().min(0).max(20).default(3),
    /** Largest /api/messages body: a Teams activity with a filled card is a few KB; more is refused with 413. */
    MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(16 * 1024)
      .max(4 * 1024 * 1024)
      .default(256 * 1024),
    /** Messages one person may send a minute (per instance); beyond it one polite answer, then silence. */
    TURN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
    /**
     * How long an instance trusts a directory row, the organisation's settings and a person's chosen
     * language once read (every turn needs them). A change made through another instance is seen
     * after at most this; one made through this instance at once. 0 = read storage every time.
     */
    DIRECTORY_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
    /**
     * Where inbound Bot Framework tokens' signing keys are published (an OpenID metadata document).
     * Unset = Bot Framework's public cloud. For sovereign clouds, and for tests that sign their own tokens.
     */
    BOT_OPENID_METADATA_URL: serviceUrl.optional(),
    /**
     * Microsoft Graph's root, for the directory sync and the Teams installs (a national cloud's, or a
     * test double's). https only: the Graph SDK sends its token to https hosts and nowhere else.
     */
    GRAPH_BASE_URL: z.url({ protocol: /^https$/ }).default('https://graph.microsoft.com'),
    /** When the nightly Entra ID sync runs (Tokyo HH:mm, every day so Graph's 7-day delta link never lapses); unset = never. */
    ORG_SYNC_AT: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a Tokyo time HH:mm, e.g. 03:00')
      .optional(),
    /** hibi's id in the Teams app catalog, for org:install; unset = looked up by the manifest id (MicrosoftAppId). */
    TEAMS_APP_CATALOG_ID: z.guid().optional(),
  })
  .superRefine((env, ctx) => {
    if (env.STORAGE_ACCOUNT_URL && env.STORAGE_CONNECTION_STRING) {
      ctx.addIssue({ code: 'custom', path: ['STORAGE_ACCOUNT_URL'], message: 'set either STORAGE_ACCOUNT_URL or STORAGE_CONNECTION_STRING, not both' });
    }
    if (env.HR_STORAGE_ACCOUNT_URL && env.HR_STORAGE_CONNECTION_STRING) {
      ctx.addIssue({
        code: 'custom',
        path: ['HR_STORAGE_ACCOUNT_URL'],
        message: 'set either HR_STORAGE_ACCOUNT_URL or HR_STORAGE_CONNECTION_STRING, not both',
      });
    }
    if (env.DELIVERY_HEARTBEAT_EXPIRY_MS < 2 * env.DELIVERY_HEARTBEAT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['DELIVERY_HEARTBEAT_EXPIRY_MS'],
        message: 'at least twice DELIVERY_HEARTBEAT_MS, so one late heartbeat does not drop a running instance',
      });
    }
    if (!env.MicrosoftAppId) return;
    if (env.DEV_NOW) ctx.addIssue({ code: 'custom', path: ['DEV_NOW'], message: 'development only: unset it in production' });
    if (!env.STORAGE_ACCOUNT_URL && !env.STORAGE_CONNECTION_STRING) {
      ctx.addIssue({
        code: 'custom',
        path: ['STORAGE_ACCOUNT_URL'],
        message:
          'production (MicrosoftAppId set) needs its storage: set STORAGE_ACCOUNT_URL (managed identity) or STORAGE_CONNECTION_STRING; it never runs on local storage',
      });
    }
    if (env.MicrosoftAppType === 'UserAssignedMSI') {
      if (env.MicrosoftAppPassword) {
        ctx.addIssue({
          code: 'custom',
          path: ['MicrosoftAppPassword'],
          message: 'a UserAssignedMSI bot has no secret: unset it (MicrosoftAppId is the identity’s client id)',
        });
      }
    } else if (!env.MicrosoftAppPassword) {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppPassword'],
        message: `required for a ${env.MicrosoftAppType} bot (or use MicrosoftAppType=UserAssignedMSI, no secret)`,
      });
    }
    if (env.MicrosoftAppType !== 'MultiTenant' && !env.MicrosoftAppTenantId) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppTenantId'], message: `required for a ${env.MicrosoftAppType} bot: your Entra tenant id` });
    }
    if (env.ALLOWED_TENANTS.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['ALLOWED_TENANTS'],
        message: 'required in production (MicrosoftAppId set): comma-separated tenant ids',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

export interface AppConfig {
  env: Env;
  /** Production = a real Azure Bot identity; tokens are validated and tenants filtered. */
  production: boolean;
  /** What is allowed but deserves a line in the log at start. */
  warnings: string[];
}

export class ConfigError extends Error {}

/** Parses the environment; the error message is one line per bad variable, naming it and what is expected. */
export function loadConfig(source: NodeJS.ProcessEnv): AppConfig {
  const emptyAsUnset = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(emptyAsUnset);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      const got = typeof issue.path[0] === 'string' ? emptyAsUnset[issue.path[0]] : undefined;
      const shown = got === undefined ? '' : ` (got "${name.toLowerCase().includes('password') ? '***' : got}")`;
      return `invalid environment variable ${name}: ${issue.message}${shown}`;
    });
    throw new ConfigError(lines.join('\n'));
  }
  const env = parsed.data;
  const production = env.MicrosoftAppId !== undefined;
  const warnings =
    production && env.MicrosoftAppType === 'MultiTenant'
      ? [
          'MicrosoftAppType=MultiTenant: Azure no longer creates multi-tenant bots; an existing one keeps working, a new one must be SingleTenant or UserAssignedMSI',
        ]
      : [];
  return { env, production, warnings };
}
