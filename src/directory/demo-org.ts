import { createHash } from 'node:crypto';
import { toOrgCsv } from './org-csv';
import { personSchema, type OrgDirectory, type Person, type RoleKey } from './org.schema';

/** The local emulator signs in as these two; their ids and AAD object ids must never move. */
export const DEMO_STAFF_ID = 'A0100';
export const DEMO_STAFF_AAD_OBJECT_ID = '3c1c2a4e-6f0e-4b8e-9a52-1d2a6b0c0a01';
export const DEMO_MANAGER_ID = 'A0001';
export const DEMO_MANAGER_AAD_OBJECT_ID = '3c1c2a4e-6f0e-4b8e-9a52-1d2a6b0c0a02';
/** The HR officer `npm start -- --as hr` plays: 総務課 総務人事グループ's 主査 (the ids follow from the list order below). */
export const DEMO_HR_ID = 'A0038';

const EMAIL_DOMAIN = 'town.atsuma.example.jp';
const NAME_SEED = 20260401;

interface GroupSpec {
  name: string;
  /** Head-count including the leader. */
  size: number;
  hr?: boolean;
}

interface UnitSpec {
  name: string;
  groups: GroupSpec[];
  /** Members reporting straight to the 課長, for units too small for groups. */
  direct?: RoleKey[];
}

/** DOMAIN.md's seven units; each head-count is 1 (課長) + the group sizes (+ direct members). */
const UNITS: UnitSpec[] = [
  {
    name: '住民課',
    groups: [
      { name: '住民グループ', size: 9 },
      { name: '税務グループ', size: 9 },
      { name: '保健福祉グループ', size: 9 },
      { name: '子育て支援グループ', size: 8 },
    ],
  },
  {
    name: '総務課',
    groups: [
      { name: '総務人事グループ', size: 7, hr: true },
      { name: '財政グループ', size: 6 },
      { name: '情報管理グループ', size: 6 },
    ],
  },
  {
    name: '産業経済課',
    groups: [
      { name: '農政グループ', size: 6 },
      { name: '林務グループ', size: 5 },
      { name: '商工観光グループ', size: 6 },
    ],
  },
  {
    name: '建設課',
    groups: [
      { name: '建設グループ', size: 6 },
      { name: '上下水道グループ', size: 5 },
      { name: '都市住宅グループ', size: 5 },
    ],
  },
  {
    name: 'まちづくり推進課',
    groups: [
      { name: '企画政策グループ', size: 6 },
      { name: '地域振興グループ', size: 6 },
    ],
  },
  {
    name: '生涯学習課',
    groups: [
      { name: '社会教育グループ', size: 4 },
      { name: 'スポーツ振興グループ', size: 4 },
    ],
  },
  { name: '農業委員会', groups: [], direct: ['senior', 'staff'] },
];

const FAMILY_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['佐藤', 'さとう'],
  ['高橋', 'たかはし'],
  ['佐々木', 'ささき'],
  ['鈴木', 'すずき'],
  ['伊藤', 'いとう'],
  ['田中', 'たなか'],
  ['渡辺', 'わたなべ'],
  ['小林', 'こばやし'],
  ['中村', 'なかむら'],
  ['加藤', 'かとう'],
  ['山本', 'やまもと'],
  ['吉田', 'よしだ'],
  ['斎藤', 'さいとう'],
  ['工藤', 'くどう'],
  ['木村', 'きむら'],
  ['阿部', 'あべ'],
  ['菅原', 'すがわら'],
  ['松本', 'まつもと'],
  ['山田', 'やまだ'],
  ['村上', 'むらかみ'],
  ['清水', 'しみず'],
  ['石川', 'いしかわ'],
  ['林', 'はやし'],
  ['遠藤', 'えんどう'],
  ['山口', 'やまぐち'],
  ['池田', 'いけだ'],
  ['森', 'もり'],
  ['三浦', 'みうら'],
  ['橋本', 'はしもと'],
  ['千葉', 'ちば'],
];

const GIVEN_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['浩二', 'こうじ'],
  ['誠', 'まこと'],
  ['健太', 'けんた'],
  ['大輔', 'だいすけ'],
  ['拓也', 'たくや'],
  ['翔太', 'しょうた'],
  ['直樹', 'なおき'],
  ['和也', 'かずや'],
  ['隆', 'たかし'],
  ['聡', 'さとし'],
  ['亮', 'りょう'],
  ['勇気', 'ゆうき'],
  ['達也', 'たつや'],
  ['剛', 'つよし'],
  ['悠斗', 'ゆうと'],
  ['蓮', 'れん'],
  ['由美', 'ゆみ'],
  ['恵', 'めぐみ'],
  ['美穂', 'みほ'],
  ['裕子', 'ゆうこ'],
  ['智子', 'ともこ'],
  ['麻衣', 'まい'],
  ['彩', 'あや'],
  ['愛', 'あい'],
  ['千尋', 'ちひろ'],
  ['沙織', 'さおり'],
  ['陽菜', 'ひな'],
  ['真由美', 'まゆみ'],
  ['香織', 'かおり'],
  ['直美', 'なおみ'],
  ['美咲', 'みさき'],
  ['優花', 'ゆうか'],
];

interface Draft {
  role: RoleKey;
  unit?: string;
  group?: string;
  hr: boolean;
  manager?: Draft;
}

/** Leader first; bigger groups get a 主幹 with a 主査 under them, and about one in four is a fiscal-year appointee. */
function groupRoles(size: number): RoleKey[] {
  const leader: RoleKey = size >= 6 ? 'chief' : 'senior';
  const appointees = Math.floor(size / 4);
  let rest = size - 1 - appointees;
  const seniors = leader === 'chief' && rest >= 3 ? 1 : 0;
  rest -= seniors;
  const leads = Math.round(rest / 3);
  return [
    leader,
    ...Array<RoleKey>(seniors).fill('senior'),
    ...Array<RoleKey>(leads).fill('lead'),
    ...Array<RoleKey>(rest - leads).fill('staff'),
    ...Array<RoleKey>(appointees).fill('appointee'),
  ];
}

function draftUnit(spec: UnitSpec, deputy: Draft): Draft[] {
  const head: Draft = { role: 'manager', unit: spec.name, hr: false, manager: deputy };
  const drafts = [head];
  for (const group of spec.groups) {
    const [leaderRole, ...memberRoles] = groupRoles(group.size);
    const base = { unit: spec.name, group: group.name, hr: group.hr ?? false };
    const leader: Draft = { ...base, role: leaderRole ?? 'senior', manager: head };
    drafts.push(leader, ...memberRoles.map((role): Draft => ({ ...base, role, manager: leader })));
  }
  drafts.push(...(spec.direct ?? []).map((role): Draft => ({ role, unit: spec.name, hr: false, manager: head })));
  return drafts;
}

/** mulberry32: small, seedable, and the same on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(list: readonly T[], random: () => number): T {
  const item = list[Math.floor(random() * list.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** Shaped as a v4 UUID (version and variant bits set) so z.uuid() accepts it. */
function demoAadObjectId(id: string): string {
  const h = createHash('sha256').update(`hibi-demo:${id}`).digest('hex');
  const variant = ((parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const FIXED_AAD_OBJECT_IDS = new Map([
  [DEMO_STAFF_ID, DEMO_STAFF_AAD_OBJECT_ID],
  [DEMO_MANAGER_ID, DEMO_MANAGER_AAD_OBJECT_ID],
]);

export function buildDemoOrg(): OrgDirectory {
  const mayor: Draft = { role: 'executive', hr: false };
  const deputy: Draft = { role: 'executive', hr: false, manager: mayor };
  const staff = UNITS.flatMap((spec) => draftUnit(spec, deputy));

  // Staff numbers run in list order, except that A0100 is held for a 住民課 主事 the emulator signs in as.
  const demoStaff = staff.find((d) => d.unit === '住民課' && d.role === 'staff');
  const ids = new Map<Draft, string>();
  let next = 1;
  for (const draft of [...staff, mayor, deputy]) {
    if (draft === demoStaff) {
      ids.set(draft, DEMO_STAFF_ID);
      continue;
    }
    if (`A${String(next).padStart(4, '0')}` === DEMO_STAFF_ID) next += 1;
    ids.set(draft, `A${String(next).padStart(4, '0')}`);
    next += 1;
  }

  const random = seededRandom(NAME_SEED);
  const usedNames = new Set<string>();
  const people: Person[] = [...staff, mayor, deputy].map((draft) => {
    let family: readonly [string, string];
    let given: readonly [string, string];
    do {
      family = pick(FAMILY_NAMES, random);
      given = pick(GIVEN_NAMES, random);
    } while (usedNames.has(family[0] + given[0]));
    usedNames.add(family[0] + given[0]);

    const id = ids.get(draft) ?? '';
    const managerId = draft.manager ? ids.get(draft.manager) : undefined;
    return personSchema.parse({
      id,
      name: `${family[0]} ${given[0]}`,
      kana: `${family[1]} ${given[1]}`,
      ...(draft.unit ? { unit: draft.unit } : {}),
      ...(draft.group ? { group: draft.group } : {}),
      role: draft.role,
      ...(managerId ? { managerId } : {}),
      email: `${id.toLowerCase()}@${EMAIL_DOMAIN}`,
      aadObjectId: FIXED_AAD_OBJECT_IDS.get(id) ?? demoAadObjectId(id),
      hr: draft.hr,
    });
  });

  return { units: UNITS.map((u) => ({ name: u.name })), people };
}

/** The demo directory as an HR-style CSV, for seeding a local store or trying the import. */
export function demoOrgCsv(): string {
  return toOrgCsv(buildDemoOrg());
}
