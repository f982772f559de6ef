import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyRound, type EntraUser } from '../../src/directory/entra-user';
import { installTargets } from '../../src/directory/org-install.service';
import type { Person } from '../../src/directory/org.schema';
import { formatMappingErrors, matchesUpn, parseSyncMapping, type SyncMapping } from '../../src/directory/org-sync-mapping';
import { formatSyncPlan } from '../../src/directory/org-sync-report';
import { hasChanges, planSync } from '../../src/directory/org-sync.service';

const HEADER = '種別,Entra IDの値,hibiの値';

const MAPPING: SyncMapping = {
  units: { construction: '建設課', residents: '住民課', "mayor'soffice": '' },
  roles: { sectionchief: 'manager', staff: 'staff', lead: 'lead', mayor: 'executive' },
  exclude: ['shared-*@town.example'],
  hr: [],
};

const OID = {
  chief: '6f1c3b8e-0d7a-4e58-9a51-2b7f0f1a0001',
  staff: '6f1c3b8e-0d7a-4e58-9a51-2b7f0f1a0002',
  lead: '6f1c3b8e-0d7a-4e58-9a51-2b7f0f1a0003',
  mayor: '6f1c3b8e-0d7a-4e58-9a51-2b7f0f1a0004',
};

function user(id: string, extra: Partial<EntraUser> = {}): EntraUser {
  return {
    id,
    displayName: `name-${id.slice(-4)}`,
    department: 'Construction',
    jobTitle: 'Staff',
    userPrincipalName: `${id.slice(-4)}@town.example`,
    accountEnabled: true,
    userType: 'Member',
    ...extra,
  };
}

function person(id: string, extra: Partial<Person> = {}): Person {
  return { id, name: `name-${id}`, unit: '建設課', role: 'staff', hr: false, active: true, ...extra };
}

const usersOf = (...list: EntraUser[]) => new Map(list.map((u) => [u.id, u]));

describe('the mapping HR keeps (org-sync.mapping.csv)', () => {
  it('reads departments, titles (keys or Japanese), exclusions and HR, loosely for width and spacing', () => {
    const parsed = parseSyncMapping(
      [
        '\uFEFF' + HEADER,
        '所属,Construction  Div.,建設課',
        '所属,町長室,',
        '役職,Ｓｅｃｔｉｏｎ Chief,課長',
        '役職,Mayor,町長',
        '役職,Staff,staff',
        '# 共有アカウント',
        '除外,Shared-*@Town.example,',
        '人事,hr@town.example,',
      ].join('\r\n'),
    );
    expect(parsed).toEqual({
      ok: true,
      mapping: {
        units: { 'constructiondiv.': '建設課', 町長室: '' },
        roles: { sectionchief: 'manager', mayor: 'executive', staff: 'staff' },
        exclude: ['shared-*@town.example'],
        hr: ['hr@town.example'],
      },
    });
  });

  it('names every bad row by its line and uses none of them', () => {
    const parsed = parseSyncMapping(
      [HEADER, '役職,Chief,部長', '部署,Construction,建設課', '所属,Construction,建設課', '所属,construction,住民課', '除外,shared,x', '役職,,主事'].join('\n'),
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(formatMappingErrors(parsed.errors).split('\n')).toEqual([
      '2行目: 「部長」は役職として使えません（課長・主幹・主査・主任・主事・会計年度任用職員・町長・副町長）',
      '3行目: 種別「部署」は使えません（所属・役職・除外・人事）',
      '5行目: 「construction」は4行目と同じです（1つにしてください）',
      '6行目: 種別「除外」の行は hibiの値を空にしてください',
      '7行目: Entra IDの値が空です',
    ]);
  });

  it('the example HR starts from is a valid mapping', () => {
    const example = readFileSync(path.join(__dirname, '..', '..', 'src', 'directory', 'org-sync.mapping.example.csv'), 'utf8');
    expect(parseSyncMapping(example)).toMatchObject({ ok: true, mapping: { roles: { 副町長: 'executive' }, units: { 町長室: '' } } });
  });

  it('wants its header', () => {
    expect(parseSyncMapping('department,unit\nConstruction,建設課')).toMatchObject({ ok: false, errors: [{ line: 1 }] });
  });

  it('matches UPN patterns with * only, whatever the case', () => {
    expect(matchesUpn('shared-*@town.example', 'Shared-Counter@TOWN.example')).toBe(true);
    expect(matchesUpn('shared-*@town.example', 'shared-counter@town-example')).toBe(false);
    expect(matchesUpn('a.b@town.example', 'aXb@town.example')).toBe(false);
  });
});

describe('a delta round onto the kept users', () => {
  const kept = usersOf(user(OID.chief), user(OID.staff, { managerId: OID.chief, jobTitle: 'Staff' }));

  it('changes only what the answer says: absent stays, null clears, manager only when told', () => {
    const after = applyRound(kept, {
      full: false,
      changes: [
        { kind: 'upsert', id: OID.staff, fields: { jobTitle: 'Lead', mail: null } },
        { kind: 'upsert', id: OID.chief, fields: {}, managerId: null },
        { kind: 'removed', id: OID.lead },
      ],
    });
    expect(after.get(OID.staff)).toMatchObject({ jobTitle: 'Lead', department: 'Construction', managerId: OID.chief });
    expect(after.get(OID.staff)).not.toHaveProperty('mail');
    expect(after.get(OID.chief)).not.toHaveProperty('managerId');
    expect(kept.get(OID.staff)?.jobTitle).toBe('Staff');
  });

  it('a full round starts from nobody: who is not listed is gone', () => {
    const after = applyRound(kept, { full: true, changes: [{ kind: 'upsert', id: OID.lead, fields: { displayName: 'x' } }] });
    expect([...after.keys()]).toEqual([OID.lead]);
  });
});

describe('planSync: what Entra ID does to the directory', () => {
  const town = () =>
    usersOf(
      user(OID.chief, { employeeId: 'K001', jobTitle: 'Section Chief' }),
      user(OID.staff, { employeeId: 'K002', managerId: OID.chief }),
      user(OID.lead, { jobTitle: 'Lead', managerId: OID.chief }),
      user(OID.mayor, { employeeId: 'E001', department: "Mayor's Office", jobTitle: 'Mayor' }),
    );

  it('adds people with employeeId or the object id as their id, the object id always as aadObjectId, managers by Entra', () => {
    const plan = planSync({ previous: new Map(), users: town(), people: [], mapping: MAPPING });
    expect(plan.added.map((a) => [a.person.id, a.person.unit, a.person.role, a.person.managerId, a.person.aadObjectId])).toEqual([
      ['K001', '建設課', 'manager', undefined, OID.chief],
      ['K002', '建設課', 'staff', 'K001', OID.staff],
      [OID.lead, '建設課', 'lead', 'K001', OID.lead],
      ['E001', undefined, 'executive', undefined, OID.mayor],
    ]);
    expect(plan.directory.units).toEqual([{ name: '建設課' }]);
    expect(hasChanges(plan)).toBe(true);
  });

  it('never guesses: an unmapped department or title, or no title, is listed and not imported', () => {
    const users = usersOf(user(OID.staff, { department: 'Planning' }), user(OID.lead, { jobTitle: 'Counsellor' }), user(OID.chief, { jobTitle: undefined }));
    const plan = planSync({ previous: new Map(), users, people: [], mapping: MAPPING });
    expect(plan.added).toEqual([]);
    expect(plan.unmapped.map((u) => [u.field, u.value, u.users.map((x) => x.id)])).toEqual([
      ['department', 'Planning', [OID.staff]],
      ['jobTitle', 'Counsellor', [OID.lead]],
      ['jobTitle', '', [OID.chief]],
    ]);
    expect(formatSyncPlan(plan, [])).toContain('役職（空欄） 1 名');
  });

  it('leaves out guests, excluded patterns and accounts without a department', () => {
    const users = usersOf(
      user(OID.staff, { userType: 'Guest' }),
      user(OID.lead, { userPrincipalName: 'shared-counter@town.example' }),
      user(OID.chief, { department: '  ' }),
    );
    const plan = planSync({ previous: new Map(), users, people: [], mapping: MAPPING });
    expect(plan.added).toEqual([]);
    expect([plan.excluded.guest, plan.excluded.pattern, plan.excluded.noDepartment].map((l) => l.map((u) => u.id))).toEqual([
      [OID.staff],
      [OID.lead],
      [OID.chief],
    ]);
  });

  it('reports unit, role and manager changes against the directory, keeping what Entra does not hold', () => {
    const people = [
      person('K001', { role: 'manager', aadObjectId: OID.chief, name: 'name-0001', email: '0001@town.example' }),
      person('K002', { aadObjectId: OID.staff, managerId: 'K001', kana: 'さとう', group: '工務係', hr: true, name: 'name-0002', email: '0002@town.example' }),
    ];
    const users = town();
    users.set(OID.staff, { ...(users.get(OID.staff) as EntraUser), department: 'Residents', jobTitle: 'Lead', managerId: OID.mayor });
    const plan = planSync({ previous: users, users, people, mapping: MAPPING });
    expect(plan.changed.map((c) => [c.after.id, c.fields])).toEqual([['K002', ['unit', 'role', 'managerId']]]);
    expect(plan.changed[0]?.after).toMatchObject({ unit: '住民課', role: 'lead', managerId: 'E001', kana: 'さとう', group: '工務係', hr: true });
    expect(plan.unchanged).toBe(1);
    expect(formatSyncPlan(plan, people)).toContain('~ name-0002（K002） 課: 建設課 → 住民課 / 役職: 主事 → 主任 / 上司: name-0001 → name-0004');
  });

  it('deactivates linked people whose account is disabled or gone; the rest of the directory stays as it is', () => {
    const people = [
      person('K001', { role: 'manager', aadObjectId: OID.chief }),
      person('K002', { aadObjectId: OID.staff }),
      person(OID.lead, { aadObjectId: OID.lead, role: 'lead' }),
      person('C100', { email: 'csv-only@town.example' }),
    ];
    const previous = town();
    const users = town();
    users.set(OID.staff, { ...(users.get(OID.staff) as EntraUser), accountEnabled: false });
    users.delete(OID.lead);
    const plan = planSync({ previous, users, people, mapping: MAPPING });
    expect(plan.deactivated.map((d) => [d.person.id, d.reason])).toEqual([
      ['K002', 'disabled'],
      [OID.lead, 'removed'],
    ]);
    expect(plan.notInEntra.map((p) => p.id)).toEqual(['C100']);
    expect(plan.directory.people.map((p) => p.id).sort()).toEqual(['C100', 'E001', 'K001']);
  });

  it('does not deactivate on a first run for people Entra never had, and links CSV people by employeeId', () => {
    const people = [person('K002', { email: 'old@town.example' }), person('K009', { aadObjectId: '6f1c3b8e-0d7a-4e58-9a51-2b7f0f1a0099' })];
    const plan = planSync({ previous: new Map(), users: town(), people, mapping: MAPPING });
    expect(plan.deactivated).toEqual([]);
    expect(plan.changed.find((c) => c.after.id === 'K002')?.fields).toEqual(expect.arrayContaining(['aadObjectId', 'managerId']));
    expect(plan.notInEntra.map((p) => p.id)).toEqual(['K009']);
  });

  it('refuses what it cannot be sure of: an employeeId hibi cannot use, one id for two accounts, an id another account holds', () => {
    const other = '6f1c3b8e-0d7a-4e58-9a51-2b7f0f1a0005';
    const users = usersOf(
      user(OID.chief, { employeeId: 'K 001/2' }),
      user(OID.staff, { employeeId: 'K002' }),
      user(OID.mayor, { employeeId: 'K002' }),
      user(OID.lead, { employeeId: 'K004' }),
      user(other, { employeeId: 'K003' }),
    );
    const people = [person('K003', { aadObjectId: OID.lead })];
    const plan = planSync({ previous: new Map(), users, people, mapping: MAPPING });
    expect(plan.added).toEqual([]);
    expect(plan.problems.map((p) => [p.user.id, p.message])).toEqual([
      [OID.chief, expect.stringContaining('社員番号（employeeId）「K 001/2」は職員番号として使えません')],
      [other, '職員番号 K003 は名簿で別の Entra ユーザー（name-K003）に結びついています'],
      [OID.staff, '職員番号 K002 が複数の Entra ユーザーにあります'],
      [OID.mayor, '職員番号 K002 が複数の Entra ユーザーにあります'],
    ]);
  });

  it('says when Entra names a manager who is not imported, and gives the person none', () => {
    const users = usersOf(user(OID.staff, { employeeId: 'K002', managerId: OID.chief }), user(OID.chief, { employeeId: 'K001', jobTitle: 'Counsellor' }));
    const plan = planSync({ previous: new Map(), users, people: [], mapping: MAPPING });
    expect(plan.added.map((a) => [a.person.id, a.person.managerId])).toEqual([['K002', undefined]]);
    expect(plan.withoutManager.map((w) => [w.person.id, w.manager?.id])).toEqual([['K002', OID.chief]]);
  });

  it('takes HR from the mapping when it names anyone, else keeps the directory’s flag', () => {
    const people = [
      person('K002', { aadObjectId: OID.staff, hr: true, managerId: 'K001' }),
      person('K001', { aadObjectId: OID.chief, role: 'manager', name: 'name-0001' }),
    ];
    const keep = planSync({ previous: new Map(), users: town(), people, mapping: MAPPING });
    expect(keep.directory.people.find((p) => p.id === 'K002')?.hr).toBe(true);
    const byMapping = planSync({ previous: new Map(), users: town(), people, mapping: { ...MAPPING, hr: ['0001@town.example'] } });
    expect(byMapping.directory.people.filter((p) => p.hr).map((p) => p.id)).toEqual(['K001']);
  });

  it('brings back a deactivated person Entra has again', () => {
    const people = [person('K002', { aadObjectId: OID.staff, active: false })];
    const plan = planSync({ previous: new Map(), users: usersOf(user(OID.staff, { employeeId: 'K002' })), people, mapping: MAPPING });
    expect(plan.added.map((a) => [a.person.id, a.reactivated])).toEqual([['K002', true]]);
  });
});

describe('installTargets: whom org:install installs hibi for', () => {
  const people = [person('A'), person('B'), person('C'), person('D', { active: false }), person('E', { unit: undefined, role: 'executive' })];

  it('the 未インストール list: no chat stored, or Teams refused; --all: every active person', () => {
    expect(installTargets(people, new Set(['A', 'C']), new Set(['C']), false).map((p) => p.id)).toEqual(['B', 'C']);
    expect(installTargets(people, new Set(['A', 'C']), new Set(['C']), true).map((p) => p.id)).toEqual(['A', 'B', 'C', 'E']);
  });
});
