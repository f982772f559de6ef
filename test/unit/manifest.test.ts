import AdmZip from 'adm-zip';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import {
  BOT_ID_PLACEHOLDER,
  MANIFEST_DIR,
  ManifestError,
  PACKAGE_VARIABLES,
  botIdFromEnv,
  buildLocalization,
  buildManifest,
  fillPlaceholders,
  packageConfigFromEnv,
  validateLocalization,
  validateManifest,
  writePackage,
  type PackageValues,
} from '../../manifest/manifest-package';

const BOT_ID = '2f1c0a6e-3b4d-4c5e-8f90-a1b2c3d4e5f6';
/** An organisation that is not the one the templates were first written for. */
const VALUES: PackageValues = {
  BOT_ID,
  BOT_DOMAIN: 'hibi-mihon.azurewebsites.net',
  APP_WEBSITE_URL: 'https://www.town.mihon.lg.jp/hibi',
  APP_PRIVACY_URL: 'https://www.town.mihon.lg.jp/hibi/privacy',
  APP_TERMS_URL: 'https://www.town.mihon.lg.jp/hibi/terms',
  ORG_NAME: '見本町役場',
  ORG_NAME_EN: 'Mihon Town Hall',
};
/** What manifest.json and en-us.json held before they took these from configuration. */
const FORMERLY_HARD_CODED = ['example.jp', '厚真', 'Atsuma', 'atsuma'];
const COMMANDS = ['ヘルプ', 'チェックイン', 'ふりかえり', '1on1', 'ヒヤリハット', 'ありがとう', '休み', '言語', 'レポート', 'OJT'];

interface Command {
  title: string;
  description: string;
}
interface Bot {
  botId?: string;
  scopes: string[];
  commandLists: { scopes: string[]; commands: Command[] }[];
}

type Manifest = Record<string, unknown> & { bots: Bot[]; description: { short: string; full: string } };

/** A fresh, filled-in manifest the test may mutate. */
function manifest(): Manifest {
  return buildManifest(VALUES) as Manifest;
}

function firstBot(m: Manifest): Bot {
  const bot = m.bots[0];
  if (!bot) throw new Error('manifest has no bot');
  return bot;
}

interface Png {
  width: number;
  height: number;
  /** 8-bit RGBA, row-major. */
  rgba: Buffer;
}

/** Enough of PNG to check icons: 8-bit RGB/RGBA, not interlaced, any row filter. */
function decodePng(file: Buffer): Png {
  expect(file.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let header: Buffer | undefined;
  const data: Buffer[] = [];
  for (let offset = 8; offset < file.length;) {
    const length = file.readUInt32BE(offset);
    const type = file.toString('ascii', offset + 4, offset + 8);
    const body = file.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') header = body;
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  if (!header) throw new Error('PNG has no IHDR chunk');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const [bitDepth, colorType, , , interlace] = header.subarray(8, 13);
  // Other layouts (palette, 16-bit, Adam7) would be misread below, so they fail here instead.
  if (bitDepth !== 8 || (colorType !== 2 && colorType !== 6) || interlace !== 0) {
    throw new Error(`unsupported PNG layout: depth ${bitDepth}, colour type ${colorType}, interlace ${interlace}`);
  }
  const channels = colorType === 6 ? 4 : 3;
  const stride = width * channels;
  const filtered = inflateSync(Buffer.concat(data));
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = filtered.readUInt8(y * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? pixels.readUInt8(y * stride + x - channels) : 0;
      const up = y > 0 ? pixels.readUInt8((y - 1) * stride + x) : 0;
      const upLeft = x >= channels && y > 0 ? pixels.readUInt8((y - 1) * stride + x - channels) : 0;
      const paeth = (): number => {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      };
      const predictors = [0, left, up, (left + up) >> 1];
      const predicted = filter === 4 ? paeth() : predictors[filter];
      if (predicted === undefined) throw new Error(`unknown PNG row filter ${filter}`);
      pixels[y * stride + x] = (filtered.readUInt8(y * (stride + 1) + 1 + x) + predicted) & 0xff;
    }
  }
  if (channels === 4) return { width, height, rgba: pixels };
  const rgba = Buffer.alloc(width * height * 4, 0xff);
  for (let i = 0; i < width * height; i++) pixels.copy(rgba, i * 4, i * 3, i * 3 + 3);
  return { width, height, rgba };
}

function readIcon(name: string): Png {
  return decodePng(readFileSync(join(MANIFEST_DIR, name)));
}

describe('Teams app manifest', () => {
  it('matches the vendored Teams v1.19 schema once the packaging values are filled in', () => {
    const m = manifest();
    expect(validateManifest(m)).toEqual([]);
    expect(m.manifestVersion).toBe('1.19');
    expect(m.id).toBe(BOT_ID);
    expect(firstBot(m).botId).toBe(BOT_ID);
    expect(JSON.stringify(m)).not.toContain('${{');
  });

  it('takes the developer, its pages, the domain and the organisation from the packaging values', () => {
    const m = manifest();
    expect(m.developer).toEqual({
      name: '見本町役場',
      websiteUrl: 'https://www.town.mihon.lg.jp/hibi',
      privacyUrl: 'https://www.town.mihon.lg.jp/hibi/privacy',
      termsOfUseUrl: 'https://www.town.mihon.lg.jp/hibi/terms',
    });
    expect(m.validDomains).toEqual(['hibi-mihon.azurewebsites.net']);
    expect(m.description.full).toMatch(/^hibi（日々）は、見本町役場の職員の/);
    expect(buildLocalization('en-us.json', VALUES)['description.full']).toContain('the staff of Mihon Town Hall.');
  });

  it('hard-codes no organisation: neither the templates nor what is built from other values name the old one', () => {
    const templates = ['manifest.json', 'en-us.json'].map((file) => readFileSync(join(MANIFEST_DIR, file), 'utf8'));
    const built = [JSON.stringify(manifest()), JSON.stringify(buildLocalization('en-us.json', VALUES))];
    for (const text of [...templates, ...built]) {
      for (const old of FORMERLY_HARD_CODED) expect(text).not.toContain(old);
    }
    // Every URL left in the built manifest is one of the values or the schema's own address.
    const urls = built.join('\n').match(/https?:\/\/[^"\s\\]+/g) ?? [];
    const allowed = [VALUES.APP_WEBSITE_URL, VALUES.APP_PRIVACY_URL, VALUES.APP_TERMS_URL];
    expect(urls.filter((u) => !allowed.includes(u) && !u.startsWith('https://developer.microsoft.com/json-schemas/teams/v1.19/'))).toEqual([]);
    for (const name of PACKAGE_VARIABLES) expect(templates.join('\n')).toContain(`\${{${name}}}`);
  });

  it('keeps a value with quotes and backslashes as it is', () => {
    const m = buildManifest({ ...VALUES, ORG_NAME: '"見本" \\ 町役場' }) as Manifest;
    expect((m.developer as { name: string }).name).toBe('"見本" \\ 町役場');
    expect(validateManifest(m)).toEqual([]);
  });

  it('refuses a template placeholder it has no value for, naming it', () => {
    expect(() => fillPlaceholders({ a: ['x ${{BOT_ID}} ${{TOWN_MAYOR}}'] }, VALUES, 'manifest.json')).toThrow(
      new ManifestError('manifest.json has a placeholder the packager cannot fill', ['${{TOWN_MAYOR}}']),
    );
    expect(() => fillPlaceholders('${{toString}}', VALUES, 'en-us.json')).toThrow(/en-us\.json has a placeholder .*\n\$\{\{toString\}\}$/);
  });

  it('is only valid after packaging: the raw template still holds the placeholder', () => {
    const template: unknown = JSON.parse(readFileSync(join(MANIFEST_DIR, 'manifest.json'), 'utf8'));
    expect(JSON.stringify(template)).toContain(BOT_ID_PLACEHOLDER);
    expect(validateManifest(template)).toEqual(expect.arrayContaining([expect.stringMatching(/^\/id must match pattern/)]));
  });

  it('offers every Japanese command in personal chats and in teams only what channels answer', () => {
    const bot = firstBot(manifest());
    expect(bot.scopes.sort()).toEqual(['personal', 'team']);
    expect(bot.commandLists.map((list) => list.scopes)).toEqual([['personal'], ['team']]);
    expect(bot.commandLists[0]!.commands.map((c) => c.title)).toEqual(COMMANDS);
    expect(bot.commandLists[1]!.commands.map((c) => c.title)).toEqual(['ヘルプ', 'ありがとう']);
  });

  it.each<[string, (m: Manifest) => void, RegExp]>([
    ['a bot without botId', (m) => delete firstBot(m).botId, /^\/bots\/0 must have required property 'botId'/],
    ['a bot id that is not a GUID', (m) => (firstBot(m).botId = 'hibi-bot'), /^\/bots\/0\/botId must match pattern/],
    ['an unsupported manifestVersion', (m) => (m.manifestVersion = '1.5'), /^\/manifestVersion must be equal to constant/],
    ['a version that is not a string', (m) => (m.version = 1), /^\/version must be string/],
    ['a short description over 80 characters', (m) => (m.description.short = 'あ'.repeat(81)), /^\/description\/short must NOT have more than 80/],
    [
      'more than 10 commands in a list',
      (m) => firstBot(m).commandLists[0]?.commands.push({ title: 'x', description: 'x' }, { title: 'y', description: 'y' }),
      /^\/bots\/0\/commandLists\/0\/commands must NOT have more than 10 items/,
    ],
    ['an unknown top-level field', (m) => (m.botName = 'hibi'), /^\(root\) must NOT have additional properties: "botName"/],
  ])('rejects %s', (_case, breakIt, expected) => {
    const m = manifest();
    breakIt(m);
    expect(validateManifest(m)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  it('ships an English translation that matches the localization schema and covers every command', () => {
    const strings = JSON.parse(readFileSync(join(MANIFEST_DIR, 'en-us.json'), 'utf8')) as Record<string, string>;
    expect(validateLocalization(strings)).toEqual([]);
    firstBot(manifest()).commandLists.forEach((list, l) =>
      list.commands.forEach((_command, c) => {
        expect(strings[`bots[0].commandLists[${l}].commands[${c}].title`]).toEqual(expect.any(String));
        expect(strings[`bots[0].commandLists[${l}].commands[${c}].description`]).toEqual(expect.any(String));
      }),
    );
    expect(validateLocalization({ ...strings, 'name.short': 'x'.repeat(31) })).toEqual(['/name.short must NOT have more than 30 characters']);
  });
});

describe('app icons', () => {
  it('have the sizes Teams requires', () => {
    expect(readIcon('color.png')).toMatchObject({ width: 192, height: 192 });
    expect(readIcon('outline.png')).toMatchObject({ width: 32, height: 32 });
  });

  it('draw the outline icon in white on a transparent background only', () => {
    const { rgba } = readIcon('outline.png');
    let transparent = 0;
    let white = 0;
    for (let i = 0; i < rgba.length; i += 4) {
      const [r, g, b, a] = rgba.subarray(i, i + 4);
      if (a === 0) transparent++;
      else if (r === 255 && g === 255 && b === 255) white++;
      else throw new Error(`outline.png pixel ${i / 4} is rgba(${r}, ${g}, ${b}, ${a}); only white or transparent is allowed`);
    }
    expect(transparent).toBeGreaterThan(0);
    expect(white).toBeGreaterThan(0);
  });

  it('draw the colour icon in more than one colour', () => {
    const { rgba } = readIcon('color.png');
    const colours = new Set<number>();
    for (let i = 0; i < rgba.length; i += 4) colours.add(rgba.readUInt32BE(i));
    expect(colours.size).toBeGreaterThan(1);
  });
});

describe('app package', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hibi-package-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the filled-in manifest and every file it names at the zip root', () => {
    const outFile = join(dir, 'dist', 'hibi-app.zip');
    writePackage(manifest(), { outFile, values: VALUES });

    const zip = new AdmZip(outFile);
    expect(
      zip
        .getEntries()
        .map((e) => e.entryName)
        .sort(),
    ).toEqual(['color.png', 'en-us.json', 'manifest.json', 'outline.png']);
    const packed: unknown = JSON.parse(zip.readAsText('manifest.json'));
    expect(packed).toEqual(manifest());
    expect(validateManifest(packed)).toEqual([]);
    for (const file of ['color.png', 'outline.png']) {
      expect(zip.readFile(file)).toEqual(readFileSync(join(MANIFEST_DIR, file)));
    }
    const english: unknown = JSON.parse(zip.readAsText('en-us.json'));
    expect(english).toEqual(buildLocalization('en-us.json', VALUES));
    expect(validateLocalization(english)).toEqual([]);
    expect(zip.readAsText('en-us.json')).not.toContain('${{');
  });

  it('is not written when the manifest is invalid', () => {
    const outFile = join(dir, 'hibi-app.zip');
    const broken = manifest();
    delete firstBot(broken).botId;
    expect(() => writePackage(broken, { outFile, values: VALUES })).toThrow(ManifestError);
    expect(existsSync(outFile)).toBe(false);
  });
});

describe('bot id for packaging', () => {
  it('takes BOT_ID first, then MicrosoftAppId', () => {
    expect(botIdFromEnv({ BOT_ID, MicrosoftAppId: 'ignored' })).toEqual({ ok: true, botId: BOT_ID });
    expect(botIdFromEnv({ MicrosoftAppId: BOT_ID })).toEqual({ ok: true, botId: BOT_ID });
    expect(botIdFromEnv({ BOT_ID: '', MicrosoftAppId: BOT_ID })).toEqual({ ok: true, botId: BOT_ID });
  });

  it('names the variable and what is expected when it is missing or not a GUID', () => {
    expect(botIdFromEnv({})).toEqual({ ok: false, message: expect.stringMatching(/^missing environment variable BOT_ID .*GUID/) });
    expect(botIdFromEnv({ BOT_ID: 'abc' })).toEqual({
      ok: false,
      message: expect.stringMatching(/^invalid environment variable BOT_ID: .*GUID.*\(got "abc"\)$/),
    });
    expect(botIdFromEnv({ MicrosoftAppId: 'abc' })).toEqual({
      ok: false,
      message: expect.stringMatching(/^invalid environment variable MicrosoftAppId: /),
    });
  });
});

describe('packaging configuration', () => {
  const env = (): NodeJS.ProcessEnv => ({ ...VALUES });

  it('reads every value from the environment, ORG_NAME_EN defaulting to ORG_NAME', () => {
    expect(packageConfigFromEnv(env())).toEqual({ ok: true, values: VALUES });
    expect(packageConfigFromEnv({ ...env(), ORG_NAME_EN: '' })).toEqual({ ok: true, values: { ...VALUES, ORG_NAME_EN: '見本町役場' } });
    expect(packageConfigFromEnv({ ...env(), BOT_ID: undefined, MicrosoftAppId: BOT_ID })).toEqual({ ok: true, values: VALUES });
  });

  it('names every missing variable on a line of its own', () => {
    const result = packageConfigFromEnv({});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message.split('\n')).toEqual([
      expect.stringMatching(/^missing environment variable BOT_ID \(or MicrosoftAppId\): .*GUID/),
      expect.stringMatching(/^missing environment variable BOT_DOMAIN: .*host name/),
      expect.stringMatching(/^missing environment variable APP_WEBSITE_URL: .*https/),
      expect.stringMatching(/^missing environment variable APP_PRIVACY_URL: .*privacy/),
      expect.stringMatching(/^missing environment variable APP_TERMS_URL: .*terms/),
      expect.stringMatching(/^missing environment variable ORG_NAME: .*32 characters/),
    ]);
    for (const name of ['BOT_DOMAIN', 'APP_WEBSITE_URL', 'APP_PRIVACY_URL', 'APP_TERMS_URL', 'ORG_NAME']) {
      expect(packageConfigFromEnv({ ...env(), [name]: '' })).toEqual({
        ok: false,
        message: expect.stringMatching(new RegExp(`^missing environment variable ${name}: [^\\n]+$`)),
      });
    }
  });

  it.each<[string, string]>([
    ['BOT_DOMAIN', 'https://hibi-mihon.azurewebsites.net'],
    ['BOT_DOMAIN', 'hibi-mihon.azurewebsites.net/api/messages'],
    ['BOT_DOMAIN', 'localhost'],
    ['APP_WEBSITE_URL', 'www.town.mihon.lg.jp/hibi'],
    ['APP_WEBSITE_URL', 'http://www.town.mihon.lg.jp/hibi'],
    ['APP_PRIVACY_URL', 'not a url'],
    ['APP_TERMS_URL', 'https://localhost/terms'],
    ['ORG_NAME', 'あ'.repeat(33)],
    ['ORG_NAME', '見本町\n役場'],
    ['ORG_NAME', '   '],
    ['ORG_NAME_EN', 'Mihon\tTown Hall'],
    ['ORG_NAME_EN', 'x'.repeat(101)],
  ])('refuses %s=%j with one line naming it', (name, value) => {
    const result = packageConfigFromEnv({ ...env(), [name]: value });
    expect(result).toEqual({
      ok: false,
      message: expect.stringMatching(new RegExp(`^invalid environment variable ${name}: expected [^\\n]+ \\(got ".*"\\)$`)),
    });
  });

  it('trims the organisation name', () => {
    expect(packageConfigFromEnv({ ...env(), ORG_NAME: ' 見本町役場 ' })).toEqual({ ok: true, values: VALUES });
  });
});

describe('`npm run package`', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hibi-package-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The packager's own environment only: PATH and what the test gives, nothing from the shell. */
  const runPackage = (env: Record<string, string>, args: string[] = []) =>
    spawnSync(process.execPath, [require.resolve('tsx/cli'), join(MANIFEST_DIR, 'package.ts'), ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
    });

  it('prints one line and exits 1 on a bad BOT_ID', () => {
    const run = runPackage({ ...VALUES, BOT_ID: 'not-a-guid' }, ['--out', join(dir, 'app.zip')]);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining('invalid environment variable BOT_ID')]);
    expect(run.stdout).toBe('');
    expect(existsSync(join(dir, 'app.zip'))).toBe(false);
  });

  it('prints a line per missing variable and writes nothing without configuration', () => {
    const run = runPackage({}, ['--out', join(dir, 'app.zip')]);
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines.map((line) => /^missing environment variable (\w+)/.exec(line)?.[1])).toEqual([
      'BOT_ID',
      'BOT_DOMAIN',
      'APP_WEBSITE_URL',
      'APP_PRIVACY_URL',
      'APP_TERMS_URL',
      'ORG_NAME',
    ]);
    expect(existsSync(join(dir, 'app.zip'))).toBe(false);
  });

  it('writes a package with the given values and none of the old ones', () => {
    const outFile = join(dir, 'app.zip');
    const run = runPackage({ ...VALUES }, ['--out', outFile]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(outFile);
    const zip = new AdmZip(outFile);
    const packed = JSON.parse(zip.readAsText('manifest.json')) as Manifest;
    expect(packed).toEqual(manifest());
    const everything = `${zip.readAsText('manifest.json')}\n${zip.readAsText('en-us.json')}`;
    for (const old of FORMERLY_HARD_CODED) expect(everything).not.toContain(old);
    expect(everything).toContain('Mihon Town Hall');
  });
});
