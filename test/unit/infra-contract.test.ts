/**
 * The Azure deployment (infra/*.bicep) against what the app reads (src/config.ts). There is no Bicep
 * compiler here, so the .bicep text is read with a few small parsers: resource blocks by bracket
 * matching, `param` lines with their decorators, and the web app's `appSettings` entries.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { envSchema, loadConfig } from '../../src/config';

const ROOT = path.join(__dirname, '..', '..');
const INFRA = path.join(ROOT, 'infra');
const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

const infraFiles = filesUnder(INFRA);
const bicepFiles = infraFiles.filter((f) => f.endsWith('.bicep'));
const main = read('infra/azure.bicep');

/** The text from the bracket at `open` to its matching close, skipping strings and `//` comments. */
function balanced(text: string, open: number): string {
  const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  const stack: string[] = [];
  for (let i = open; i < text.length; i++) {
    if (text.startsWith("'''", i)) {
      i = text.indexOf("'''", i + 3) + 2;
    } else if (text[i] === "'") {
      i++;
      while (text[i] !== "'") i += text[i] === '\\' ? 2 : 1;
    } else if (text.startsWith('//', i)) {
      i = text.indexOf('\n', i);
    } else if (pairs[text[i]!]) {
      stack.push(pairs[text[i]!]!);
    } else if (text[i] === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return text.slice(open, i + 1);
    }
  }
  throw new Error(`unbalanced bracket at ${open}`);
}

interface Resource {
  symbol: string;
  type: string;
  existing: boolean;
  body: string;
}

/** Every `resource sym 'Type@version' [existing] = [if (...)] { ... }` of a file. */
function resources(text: string): Resource[] {
  const found: Resource[] = [];
  const head = /^resource\s+(\w+)\s+'([^'@]+)@[^']+'\s+(existing\s+)?=\s+(?:if\s*\(.*\)\s*)?\{/gm;
  for (let m = head.exec(text); m; m = head.exec(text)) {
    found.push({ symbol: m[1]!, type: m[2]!, existing: Boolean(m[3]), body: balanced(text, m.index + m[0].length - 1) });
  }
  return found;
}

const only = (list: Resource[], type: string): Resource => {
  const matching = list.filter((r) => r.type === type && !r.existing);
  expect(matching).toHaveLength(1);
  return matching[0]!;
};

interface Param {
  name: string;
  type: string;
  /** The default's Bicep expression, if any. */
  default?: string;
  /** Decorator text, e.g. `@allowed([...])`. */
  decorators: string;
}

/** Every `param name type [= default]` with the decorators (`@...(...)`, possibly several lines) above it. */
function params(text: string): Param[] {
  const found: Param[] = [];
  let decorators = '';
  let open = 0;
  for (const line of text.split('\n')) {
    const param = /^param\s+(\w+)\s+(\w+)(?:\s*=\s*(.+))?$/.exec(line);
    if (open > 0 || line.startsWith('@')) {
      decorators += `${line}\n`;
      open += (line.match(/[([]/g) ?? []).length - (line.match(/[)\]]/g) ?? []).length;
    } else if (param) {
      found.push({ name: param[1]!, type: param[2]!, default: param[3]?.trim(), decorators });
      decorators = '';
    } else if (line.trim() !== '') {
      decorators = '';
    }
  }
  return found;
}

const literal = (expression: string | undefined): string | undefined => /^'([^'$]*)'$/.exec(expression ?? '')?.[1];
const allowedValues = (p: Param): string[] => {
  const open = p.decorators.indexOf('@allowed(');
  return open < 0 ? [] : [...balanced(p.decorators, open + '@allowed'.length).matchAll(/'([^']*)'/g)].map((m) => m[1]!);
};

interface Setting {
  name: string;
  value: string;
}

/** The `{ name: '...' value: ... }` entries of the web app's `siteConfig.appSettings`. */
function appSettings(webAppBody: string): Setting[] {
  const at = webAppBody.indexOf('appSettings:');
  expect(at).toBeGreaterThan(0);
  const expression = balanced(webAppBody, webAppBody.slice(at).search(/[[(]/) + at);
  const entries = [...expression.matchAll(/\{\s*name:\s*'([^']+)'\s*\n\s*value:\s*(.+)\n\s*\}/g)];
  // Every `name:` must have been read as an entry: a shape the parser misses fails here, not silently.
  expect(entries).toHaveLength([...expression.matchAll(/\bname:/g)].length);
  return entries.map((m) => ({ name: m[1]!, value: withoutComment(m[2]!) }));
}

/** A line without its trailing `//` comment (one outside a '...' string). */
function withoutComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === "'" && line[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && line.startsWith('//', i)) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}

/** A property's expression inside a block: the first `key: value` line. */
const property = (body: string, key: string): string | undefined => {
  const m = new RegExp(`^\\s*${key}:\\s*(.+)$`, 'm').exec(body);
  return m ? withoutComment(m[1]!) : undefined;
};

const mainParams = params(main);
const mainResources = resources(main);
const webApp = only(mainResources, 'Microsoft.Web/sites');
const settings = appSettings(webApp.body);
const settingNames = settings.map((s) => s.name);
const schemaKeys = Object.keys(envSchema.shape);

const UUID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const TENANT = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

/** A value such as Azure would give the setting: literals as written, a parameter's literal default, else by its kind. */
function plausible(setting: Setting): string {
  const written = literal(setting.value);
  if (written !== undefined) return written;
  const param = mainParams.find((p) => p.name === setting.value);
  const fromParam = literal(param?.default);
  if (fromParam !== undefined) return fromParam;
  if (/TenantId$|TENANTS$/.test(setting.name)) return TENANT;
  if (/AppId$|CLIENT_ID$/.test(setting.name)) return UUID;
  if (/_URL$/.test(setting.name)) return `https://st${setting.name.length}example.table.core.windows.net/`;
  if (setting.name === 'APPLICATIONINSIGHTS_CONNECTION_STRING') {
    return `InstrumentationKey=${UUID};IngestionEndpoint=https://japaneast-1.in.applicationinsights.azure.com/`;
  }
  throw new Error(`no plausible value for ${setting.name} = ${setting.value}: add one to this test`);
}

describe('the web app settings and src/config.ts', () => {
  it('reads the appSettings of the one web app', () => {
    expect(settingNames.length).toBeGreaterThanOrEqual(10);
    expect(new Set(settingNames).size).toBe(settingNames.length);
  });

  it('sets only variables the app reads, or App Service platform settings', () => {
    const unknown = settingNames.filter((n) => !schemaKeys.includes(n) && !/^(WEBSITE|SCM)_[A-Z0-9_]+$/.test(n));
    expect(unknown).toEqual([]);
  });

  it('gives everything production needs: loadConfig accepts the settings as a UserAssignedMSI bot on storage by URL', () => {
    const env = Object.fromEntries(settings.map((s) => [s.name, plausible(s)]));
    const config = loadConfig(env);
    expect(config.production).toBe(true);
    expect(config.env.MicrosoftAppType).toBe('UserAssignedMSI');
    expect(config.env.STORAGE_ACCOUNT_URL).toMatch(/^https:\/\//);
    expect(config.env.HR_STORAGE_ACCOUNT_URL).toMatch(/^https:\/\//);
    expect(config.env.AZURE_CLIENT_ID).toBe(UUID);
    expect(config.env.APPLICATIONINSIGHTS_CONNECTION_STRING).toBeDefined();
    expect(config.warnings).toEqual([]);
  });

  it("uses the identity for the bot and for storage, and the account's Table endpoint", () => {
    const value = (name: string): string | undefined => settings.find((s) => s.name === name)?.value;
    expect(value('MicrosoftAppId')).toBe('identity.properties.clientId');
    expect(value('AZURE_CLIENT_ID')).toBe(value('MicrosoftAppId'));
    expect(value('MicrosoftAppTenantId')).toBe('identity.properties.tenantId');
    expect(value('STORAGE_ACCOUNT_URL')).toBe('storage.properties.primaryEndpoints.table');
    expect(value('HR_STORAGE_ACCOUNT_URL')).toMatch(/^'https:\/\/\$\{hrStorageAccountName\}\.table\./);
    expect(value('WEBSITE_RUN_FROM_PACKAGE')).toBe("'1'");
    expect(value('SCM_DO_BUILD_DURING_DEPLOYMENT')).toBe("'false'");
  });

  it('sets HR_STORAGE_ACCOUNT_URL only when an HR account is named', () => {
    const at = webApp.body.indexOf("name: 'HR_STORAGE_ACCOUNT_URL'");
    expect(webApp.body.slice(0, at)).toMatch(/empty\(hrStorageAccountName\) \? \[\] : \[\s*\{\s*$/);
  });
});

describe('no secrets anywhere in infra/', () => {
  it.each(infraFiles.map((f) => [path.relative(ROOT, f)]))('%s names no key, password or connection string', (file) => {
    expect(read(file)).not.toMatch(/STORAGE_CONNECTION_STRING|MicrosoftAppPassword|AccountKey|listKeys|@secure/);
  });
});

describe('storage', () => {
  const created = bicepFiles.flatMap((f) => resources(readFileSync(f, 'utf8'))).filter((r) => r.type === 'Microsoft.Storage/storageAccounts' && !r.existing);

  it('creates the main account in azure.bicep', () => {
    expect(only(mainResources, 'Microsoft.Storage/storageAccounts').symbol).toBe('storage');
  });

  it.each([
    ['allowSharedKeyAccess', 'false'],
    ['allowBlobPublicAccess', 'false'],
    ['minimumTlsVersion', "'TLS1_2'"],
    ['supportsHttpsTrafficOnly', 'true'],
    ['kind', "'StorageV2'"],
  ])('every account it creates has %s: %s', (key, value) => {
    expect(created.length).toBeGreaterThan(0);
    for (const account of created) expect(property(account.body, key)).toBe(value);
  });

  it("gives the identity Storage Table Data Contributor on the main account, and on HR's when named", () => {
    const roleVar = /^var (\w+) = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'$/m;
    const mainRole = roleVar.exec(main)?.[1];
    expect(mainRole).toBeDefined();
    const assignment = only(mainResources, 'Microsoft.Authorization/roleAssignments');
    expect(property(assignment.body, 'scope')).toBe('storage');
    expect(property(assignment.body, 'principalId')).toBe('identity.properties.principalId');
    expect(property(assignment.body, 'roleDefinitionId')).toContain(`, ${mainRole})`);

    const hrModule = read('infra/modules/tableDataContributor.bicep');
    const hrRole = roleVar.exec(hrModule)?.[1];
    expect(hrRole).toBeDefined();
    expect(property(only(resources(hrModule), 'Microsoft.Authorization/roleAssignments').body, 'roleDefinitionId')).toContain(`, ${hrRole})`);
    expect(main).toMatch(/^module \w+ '\.\/modules\/tableDataContributor\.bicep' = if \(!empty\(hrStorageAccountName\)\)/m);
  });
});

describe('the web app', () => {
  const siteConfig = (key: string): string | undefined => property(webApp.body, key);

  it('runs Linux Node 22 or 24 LTS, nothing else', () => {
    const runtime = siteConfig('linuxFxVersion')!;
    const param = mainParams.find((p) => p.name === runtime);
    const choices = param ? allowedValues(param) : [literal(runtime)];
    expect(choices.length).toBeGreaterThan(0);
    for (const choice of choices) expect(choice).toMatch(/^NODE\|(22|24)-lts$/);
    if (param) expect(literal(param.default)).toBe('NODE|22-lts');
    expect(property(only(mainResources, 'Microsoft.Web/serverfarms').body, 'reserved')).toBe('true');
  });

  it.each([
    ['alwaysOn', 'true'],
    ['healthCheckPath', "'/healthz'"],
    ['appCommandLine', "'node dist/src/main.js'"],
    ['httpsOnly', 'true'],
    ['ftpsState', "'Disabled'"],
    ['minTlsVersion', "'1.2'"],
  ])('has %s: %s', (key, value) => {
    expect(siteConfig(key)).toBe(value);
  });

  it('carries the managed identity', () => {
    expect(webApp.body).toMatch(/identity:\s*\{\s*type: 'UserAssigned'\s*userAssignedIdentities:\s*\{\s*'\$\{identity\.id\}': \{\}/);
  });
});

describe('the Azure Bot', () => {
  const bot = read('infra/botRegistration/azurebot.bicep');
  const service = only(resources(bot), 'Microsoft.BotService/botServices');

  it("is a UserAssignedMSI bot on the web app's /api/messages, with the Teams channel", () => {
    expect(property(service.body, 'msaAppType')).toBe("'UserAssignedMSI'");
    expect(property(service.body, 'msaAppMSIResourceId')).toBe('identityResourceId');
    expect(property(service.body, 'endpoint')).toBe("'https://${botAppDomain}/api/messages'");
    expect(property(only(resources(bot), 'Microsoft.BotService/botServices/channels').body, 'channelName')).toBe("'MsTeamsChannel'");
    expect(main).toMatch(
      /identityResourceId: identity\.id\n\s*identityTenantId: identity\.properties\.tenantId\n\s*botAppDomain: webApp\.properties\.defaultHostName/,
    );
  });
});

describe('alerts', () => {
  /** The metrics and attributes hibi emits (the names are fixed; src/ implements them). */
  const METRICS: Record<string, Record<string, string[] | null>> = {
    'hibi.turns': { kind: null, outcome: null },
    'hibi.turn.duration': { kind: null },
    'hibi.outbox.backlog': {},
    'hibi.outbox.oldest_age': {},
    'hibi.sends': { result: ['sent', 'throttled', 'failed', 'not_installed'] },
    'hibi.job.runs': { job: null, outcome: ['ok', 'failed'] },
    'hibi.kpi.rollup.duration': {},
  };
  const rules = bicepFiles
    .flatMap((f) => resources(readFileSync(f, 'utf8')))
    .filter((r) => r.type === 'Microsoft.Insights/scheduledQueryRules')
    .map((r) => ({
      query: /query: '''([\s\S]*?)'''/.exec(r.body)?.[1] ?? '',
      metrics: [...r.body.matchAll(/Name == "([^"]+)"/g)].map((m) => m[1]!),
      // The condition's own operator: the one right above `threshold` (a dimension has one too).
      operator: /operator: ('\w+')\s*\n\s*threshold:/.exec(r.body)?.[1],
      threshold: Number(property(r.body, 'threshold')),
      scope: /scopes: \[\s*(\w+)\s*\]/.exec(r.body)?.[1],
    }));
  const ruleFor = (metric: string) => {
    const matching = rules.filter((r) => r.metrics.includes(metric));
    expect(matching).toHaveLength(1);
    return matching[0]!;
  };

  it('query AppMetrics in the workspace, each on one metric', () => {
    expect(rules).toHaveLength(3);
    for (const rule of rules) {
      expect(rule.query).toMatch(/^\s*AppMetrics\s*\n\s*\| where Name == "/);
      expect(rule.metrics).toHaveLength(1);
      expect(rule.scope).toBe('workspaceId');
    }
  });

  it("name only hibi's metrics, attributes and attribute values", () => {
    for (const rule of rules) {
      const metric = rule.metrics[0]!;
      expect(Object.keys(METRICS)).toContain(metric);
      expect([...rule.query.matchAll(/\bhibi\.[a-z_.]*[a-z_]/g)].map((m) => m[0])).toEqual([metric]);
      for (const [, attribute, value] of rule.query.matchAll(/Properties\["([^"]+)"\]\)?(?: == "([^"]*)")?/g)) {
        expect(Object.keys(METRICS[metric]!)).toContain(attribute);
        if (value !== undefined) expect(METRICS[metric]![attribute!] ?? [value]).toContain(value);
      }
    }
  });

  it('(a) an outbox message waiting over 15 minutes', () => {
    const rule = ruleFor('hibi.outbox.oldest_age');
    expect([rule.operator, rule.threshold]).toEqual(["'GreaterThan'", 900]);
  });

  it('(b) any failed send, and not the expected not_installed or throttled', () => {
    const rule = ruleFor('hibi.sends');
    expect(rule.query).toContain('tostring(Properties["result"]) == "failed"');
    expect(rule.query).not.toMatch(/not_installed|throttled/);
    expect([rule.operator, rule.threshold]).toEqual(["'GreaterThan'", 0]);
  });

  it('(c) any failed scheduled job', () => {
    const rule = ruleFor('hibi.job.runs');
    expect(rule.query).toContain('tostring(Properties["outcome"]) == "failed"');
    expect([rule.operator, rule.threshold]).toEqual(["'GreaterThan'", 0]);
  });
});

describe('parameters', () => {
  const parameterFile = JSON.parse(read('infra/azure.parameters.json')) as { parameters: Record<string, { value: unknown }> };
  const given = Object.keys(parameterFile.parameters);

  it('azure.parameters.json gives every parameter azure.bicep declares without a default', () => {
    expect(mainParams.length).toBeGreaterThan(10);
    const required = mainParams.filter((p) => p.default === undefined).map((p) => p.name);
    expect(required).toEqual(expect.arrayContaining(['resourceBaseName', 'botDisplayName', 'alertEmail']));
    expect(required.filter((name) => !given.includes(name))).toEqual([]);
  });

  it('azure.parameters.json names no parameter azure.bicep lacks', () => {
    expect(given.filter((name) => !mainParams.some((p) => p.name === name))).toEqual([]);
  });

  it('a given value is one the parameter allows', () => {
    for (const p of mainParams) {
      const value = parameterFile.parameters[p.name]?.value;
      const allowed = allowedValues(p);
      if (value !== undefined && allowed.length > 0) expect(allowed).toContain(value);
    }
  });

  it('infra/README.md explains every parameter', () => {
    const readme = read('infra/README.md');
    expect(mainParams.filter((p) => !readme.includes(`- \`${p.name}\``))).toEqual([]);
  });
});

describe('m365agents.yml', () => {
  const yml = read('m365agents.yml');
  const outputs = [...main.matchAll(/^output (\w+) /gm)].map((m) => m[1]!);
  const BUILT_IN = ['AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP_NAME', 'TEAMSFX_ENV', 'APP_NAME_SUFFIX'];

  it('deploys infra/azure.bicep with its parameters and zip-deploys to the web app it outputs', () => {
    expect(yml).toContain('path: ./infra/azure.bicep');
    expect(yml).toContain('parameters: ./infra/azure.parameters.json');
    expect(yml).toContain('resourceId: ${{BOT_AZURE_APP_SERVICE_RESOURCE_ID}}');
    expect(yml).toContain('ignoreFile: .webappignore');
  });

  it('every ${{VARIABLE}} it, the parameters and the manifest use is a Bicep output or listed for the env file in infra/README.md', () => {
    const files = ['m365agents.yml', 'infra/azure.parameters.json', 'manifest/manifest.json', 'manifest/en-us.json'];
    const used = new Set(files.flatMap((f) => [...read(f).matchAll(/\$\{\{(\w+)\}\}/g)].map((m) => m[1]!)));
    expect([...used]).toEqual(expect.arrayContaining(['BOT_ID', 'BOT_AZURE_APP_SERVICE_RESOURCE_ID', 'ALERT_EMAIL']));
    const readme = read('infra/README.md');
    const envSection = readme.slice(readme.indexOf('### The environment file'), readme.indexOf('Provisioning writes the Bicep outputs'));
    const listed = [...envSection.matchAll(/^- (.+?):/gm)].flatMap((m) => [...m[1]!.matchAll(/`(\w+)`/g)].map((n) => n[1]!));
    expect(listed).toEqual(expect.arrayContaining([...BUILT_IN, 'ALERT_EMAIL']));
    expect([...used].filter((name) => !outputs.includes(name) && !listed.includes(name))).toEqual([]);
  });

  it('the Teams app id the Bicep outputs is the bot id the manifest uses for both', () => {
    expect(main).toMatch(/^output TEAMS_APP_ID string = identity\.properties\.clientId$/m);
    expect(main).toMatch(/^output BOT_ID string = identity\.properties\.clientId$/m);
    const manifest = JSON.parse(read('manifest/manifest.json')) as { id: string; bots: { botId: string }[] };
    expect([manifest.id, manifest.bots[0]?.botId]).toEqual(['${{BOT_ID}}', '${{BOT_ID}}']);
  });

  it('.webappignore keeps what the web app runs: dist/, node_modules/, package.json', () => {
    const ignored = read('.webappignore')
      .split('\n')
      .map((l) => l.trim());
    for (const kept of ['dist', '/dist', '/dist/', 'dist/', 'node_modules', '/node_modules/', 'package.json', '/package.json']) {
      expect(ignored).not.toContain(kept);
    }
  });
});
