import { z } from 'zod';

const csv = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0));

const port = z.coerce.number().int().min(0).max(65535);

/** Every variable the process reads; `.env.example` documents the same list. */
export const envSchema = z
  .object({
    PORT: port.default(3978),
    MicrosoftAppId: z.uuid().optional(),
    MicrosoftAppPassword: z.string().min(1).optional(),
    MicrosoftAppType: z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']).default('SingleTenant'),
    MicrosoftAppTenantId: z.uuid().optional(),
    ALLOWED_TENANTS: csv.pipe(z.array(z.string().min(1).max(100))).default([]),
    STORAGE_CONNECTION_STRING: z.string().min(1).optional(),
    DATA_DIR: z.string().min(1).default('.data'),
    AZURITE_TABLE_PORT: port.default(10002),
    DEV_TENANT_ID: z.string().min(1).max(100).default('00000000-0000-0000-0000-0000000000001'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DEV_NOW: z.iso.datetime({ offset: true }).optional(),
    DELIVERY_GLOBAL_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(30),
    /** How long a claimed outbox row is one instance's; a crashed instance's rows are sent again after it. */
    OUTBOX_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(120_000),
    /** Longest idle wait of the outbox worker between polls. */
    /**
     * Recipients served at once. Each spends a Bot Connector round trip and four table writes per
     * message, so with Teams' few hundred ms the 30/s cap needs about 10; 16 leaves margin (bench/).
     */
    OUTBOX_CONCURRENCY: z.coerce.number().int().min(1).max(128).default(16),
    OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(2_000),
    SCHEDULER_ENABLED: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120000).default(10000),
    /** HR's storage account for the KPI rollup tables (HR's Excel / Power BI read them); default: the main storage. */
    HR_STORAGE_CONNECTION_STRING: z.string().min(1).optional(),
    /** When the nightly KPI rollup runs (Tokyo HH:mm, office days); each run covers every day since the last. */
    KPI_ROLLUP_AT: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a Tokyo time HH:mm, e.g. 02:00').default('02:00'),
    /** Kudos one person may send a day: enough for real thanks, too few to farm a count. */
    KUDOS_DAILY_LIMIT: z.coerce.number().int().min(1).max(100).default(5),
    /** Largest /api/messages body: a Teams activity with a filled card is a few KB; more is refused with 413. */
    MAX_BODY_BYTES: z.coerce.number().int().min(16 * 1024).max(4 * 1024 * 1024).default(256 * 1024),
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
    BOT_OPENID_METADATA_URL: z
      .url({ protocol: /^https?$/ })
      .refine((u) => u.startsWith('https:') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(u), { message: 'https, or http on loopback (tests)' })
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (!env.MicrosoftAppId) return;
    if (env.DEV_NOW) ctx.addIssue({ code: 'custom', path: ['DEV_NOW'], message: 'development only: unset it in production' });
    if (env.MicrosoftAppType !== 'UserAssignedMSI' && !env.MicrosoftAppPassword) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppPassword'], message: 'required when MicrosoftAppId is set' });
    }
    if (env.MicrosoftAppType === 'SingleTenant' && !env.MicrosoftAppTenantId) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppTenantId'], message: 'required for a SingleTenant bot' });
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
  return { env: parsed.data, production: parsed.data.MicrosoftAppId !== undefined };
}
