import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEMO_HR_ID, DEMO_MANAGER_ID, DEMO_STAFF_ID } from '../directory/demo-org';
import { ROLE_LABELS_JA, type Person } from '../directory/org.schema';

/**
 * Who you are in the Playground: `npm start` is the demo 住民課の主事; `npm start -- --as manager`
 * their 課長, `--as hr` an HR officer of 総務課. The Playground fixes its user per process from its
 * config file, so the chosen person gets a config of their own, written from the demo directory.
 */
export const DEMO_ROLES = ['staff', 'manager', 'hr'] as const;
export type DemoRole = (typeof DEMO_ROLES)[number];

const PERSON_OF: Record<DemoRole, string> = { staff: DEMO_STAFF_ID, manager: DEMO_MANAGER_ID, hr: DEMO_HR_ID };

/** The words a newcomer may type, in either language. */
const ALIASES: Readonly<Record<string, DemoRole>> = { 主事: 'staff', 職員: 'staff', 課長: 'manager', 人事: 'hr', 人事担当: 'hr' };

const USAGE = 'usage: npm start [-- --as staff|manager|hr]   (主事 / 課長 / 人事 also work)';

const roleSchema = z.preprocess(
  (v) => (typeof v === 'string' ? (ALIASES[v.normalize('NFKC').trim()] ?? v.normalize('NFKC').trim().toLowerCase()) : v),
  z.enum(DEMO_ROLES, { error: (issue) => `--as: staff, manager or hr (got "${String(issue.input)}")` }),
);

/** A wrong flag: one line saying what is accepted, then the usage. */
export class DemoRoleError extends Error {}

/** Reads `--as <role>` from npm start's arguments; none = staff. */
export function readDemoRole(argv: readonly string[]): DemoRole {
  let as: string | undefined;
  try {
    as = parseArgs({ args: [...argv], options: { as: { type: 'string' } }, strict: true, allowPositionals: false }).values.as;
  } catch (error) {
    throw new DemoRoleError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  if (as === undefined) return 'staff';
  const parsed = roleSchema.safeParse(as);
  if (!parsed.success) throw new DemoRoleError(`${parsed.error.issues[0]?.message ?? '--as: staff, manager or hr'}\n${USAGE}`);
  return parsed.data;
}

export function demoPersonOf(role: DemoRole, directory: readonly Person[]): Person {
  const person = directory.find((p) => p.id === PERSON_OF[role]);
  if (!person) throw new Error(`the demo directory has no ${PERSON_OF[role]} (${role})`);
  return person;
}

/** 「あなたは住民課の課長、工藤 陽菜（A0001）です。」 */
export function whoYouAre(person: Person): string {
  const place = [person.unit, person.group].filter(Boolean).join(' ');
  const role = `${ROLE_LABELS_JA[person.role]}${person.hr ? '（人事担当）' : ''}`;
  return `あなたは${place ? `${place}の` : ''}${role}、${person.name}（${person.id}）です。`;
}

/** What to send first as each role. */
export const TRY_THESE: Readonly<Record<DemoRole, readonly string[]>> = {
  staff: ['ヘルプ', 'チェックイン', 'ありがとう', 'ヒヤリハット'],
  manager: ['1on1', 'レポート', 'プラス評価', 'ヒヤリハット一覧'],
  hr: ['レポート', 'レポート 住民課', 'ヒヤリハット一覧', '未インストール'],
};

/** The Playground's bot; the same as the repo's .m365agentsplayground.yml. */
const BOT = { id: '00000000-0000-0000-0000-00000000000011', name: 'hibi' };
/** The Playground's schema (0.1.1) wants exactly five other users. */
const OTHER_USERS = 5;

function teamsUser(p: Person): Record<string, string> {
  if (!p.aadObjectId) throw new Error(`${p.id} has no aadObjectId: hibi could not recognise them`);
  const [surname = p.name, givenName = p.name] = p.name.split(' ');
  const email = p.email ?? `${p.id.toLowerCase()}@example.com`;
  // id = aadObjectId, as in the repo's file: hibi finds the person by either.
  return { id: p.aadObjectId, name: p.name, userPrincipleName: email, aadObjectId: p.aadObjectId, givenName, surname, email };
}

/**
 * The Playground's mock Teams context with `person` signed in: their own personal chat, and their
 * manager and nearest colleagues as the tenant's other users, in a team named after their 課.
 */
export function playgroundConfigFor(person: Person, directory: readonly Person[], tenantId: string): object {
  const others = directory.filter((p) => p.id !== person.id && p.active && p.aadObjectId);
  const closeness = (p: Person): number =>
    p.id === person.managerId ? 0 : p.group !== undefined && p.group === person.group ? 1 : p.unit === person.unit ? 2 : 3;
  const users = [...others].sort((a, b) => closeness(a) - closeness(b) || a.id.localeCompare(b.id)).slice(0, OTHER_USERS);
  const slug = person.id.toLowerCase();
  const unit = person.unit ?? '役場';
  return {
    version: '0.1.1',
    tenantId,
    bot: BOT,
    currentUser: teamsUser(person),
    users: users.map(teamsUser),
    personalChat: { id: `personal-chat-${slug}` },
    groupChat: { id: `19:demo-group-${slug}@thread.v2`, name: `${unit} 係内チャット` },
    team: {
      id: `19:demo-general-${slug}@thread.tacv2`,
      name: unit,
      aadGroupId: '00000000-0000-0000-0000-000000000031',
      channels: [{ id: `19:demo-renraku-${slug}@thread.tacv2`, name: `${unit} 連絡` }],
    },
  };
}

/** Writes the config into `dir` (JSON is YAML too: no YAML library for a file nobody edits) and returns its path. */
export function writePlaygroundConfig(dir: string, person: Person, directory: readonly Person[], tenantId: string): string {
  const file = path.join(dir, '.m365agentsplayground.yml');
  writeFileSync(
    file,
    `# written by src/dev/demo-roles.ts for npm start -- --as\n${JSON.stringify(playgroundConfigFor(person, directory, tenantId), null, 2)}\n`,
  );
  return file;
}
