import { ConfigError, loadConfig } from '../../src/config';

const APP = '11111111-2222-4333-8444-555555555555';
const TENANT = '66666666-7777-4888-9999-000000000000';
const STORAGE = { STORAGE_ACCOUNT_URL: 'https://hibistorage.table.core.windows.net' };
const msi = { MicrosoftAppId: APP, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: TENANT, ALLOWED_TENANTS: TENANT, ...STORAGE };

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.message.split('\n');
  }
};

describe('production configuration (MicrosoftAppId set)', () => {
  it('takes a UserAssignedMSI bot with a tenant and no secret, on keyless storage', () => {
    const config = loadConfig(msi);
    expect(config.production).toBe(true);
    expect(config.env.STORAGE_ACCOUNT_URL).toBe(STORAGE.STORAGE_ACCOUNT_URL);
    expect(config.warnings).toEqual([]);
  });

  it('refuses a UserAssignedMSI bot without its tenant id, which botbuilder would only throw at the first turn', () => {
    const lines = problems({ ...msi, MicrosoftAppTenantId: '' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^invalid environment variable MicrosoftAppTenantId: required for a UserAssignedMSI bot/);
  });

  it('refuses a secret on a UserAssignedMSI bot, without showing it', () => {
    const lines = problems({ ...msi, MicrosoftAppPassword: 'p@ss-w0rd' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('MicrosoftAppPassword');
    expect(lines[0]).not.toContain('p@ss-w0rd');
  });

  it('requires a SingleTenant bot’s secret and tenant, naming both', () => {
    const lines = problems({ ...msi, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: '' });
    expect(lines.some((l) => l.startsWith('invalid environment variable MicrosoftAppPassword: required for a SingleTenant bot'))).toBe(true);
    expect(lines.some((l) => l.startsWith('invalid environment variable MicrosoftAppTenantId: required for a SingleTenant bot'))).toBe(true);
  });

  it('keeps an existing MultiTenant bot working but says Azure no longer creates them', () => {
    const config = loadConfig({ ...msi, MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: '', MicrosoftAppPassword: 'secret' });
    expect(config.warnings).toHaveLength(1);
    expect(config.warnings[0]).toContain('Azure no longer creates multi-tenant bots');
    expect(loadConfig({ MicrosoftAppType: 'MultiTenant' }).warnings).toEqual([]);
  });

  it('never runs on local storage: no storage variable is one line naming both', () => {
    const lines = problems({ ...msi, STORAGE_ACCOUNT_URL: '' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('STORAGE_ACCOUNT_URL');
    expect(lines[0]).toContain('STORAGE_CONNECTION_STRING');
    expect(
      loadConfig({ ...msi, STORAGE_ACCOUNT_URL: '', STORAGE_CONNECTION_STRING: 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=k' }).production,
    ).toBe(true);
  });

  it('refuses two ways to the same storage, and a storage URL that is not https off loopback', () => {
    expect(problems({ STORAGE_ACCOUNT_URL: STORAGE.STORAGE_ACCOUNT_URL, STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' })[0]).toMatch(
      /STORAGE_ACCOUNT_URL: set either/,
    );
    expect(problems({ HR_STORAGE_ACCOUNT_URL: 'https://hr.table.core.windows.net', HR_STORAGE_CONNECTION_STRING: 'x' })[0]).toMatch(
      /HR_STORAGE_ACCOUNT_URL: set either/,
    );
    expect(problems({ STORAGE_ACCOUNT_URL: 'http://hibistorage.table.core.windows.net' })[0]).toMatch(/STORAGE_ACCOUNT_URL: https/);
    expect(loadConfig({ STORAGE_ACCOUNT_URL: 'https://127.0.0.1:10002/devstoreaccount1' }).env.STORAGE_ACCOUNT_URL).toContain('127.0.0.1');
  });

  it('takes the managed identity’s client id as a uuid only', () => {
    expect(loadConfig({ AZURE_CLIENT_ID: TENANT }).env.AZURE_CLIENT_ID).toBe(TENANT);
    expect(problems({ AZURE_CLIENT_ID: 'hibi-identity' })[0]).toMatch(/^invalid environment variable AZURE_CLIENT_ID/);
  });
});
