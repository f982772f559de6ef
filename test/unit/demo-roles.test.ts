import { historyStart } from '../../src/dev/demo-history';
import { DemoRoleError, demoPersonOf, playgroundConfigFor, readDemoRole, whoYouAre } from '../../src/dev/demo-roles';
import { buildDemoOrg, DEMO_MANAGER_AAD_OBJECT_ID, DEMO_STAFF_AAD_OBJECT_ID } from '../../src/directory/demo-org';

const people = buildDemoOrg().people;

describe('npm start -- --as <role>', () => {
  it.each([
    [[], 'staff'],
    [['--as', 'staff'], 'staff'],
    [['--as', 'manager'], 'manager'],
    [['--as=hr'], 'hr'],
    [['--as', 'HR'], 'hr'],
    [['--as', '課長'], 'manager'],
    [['--as', '人事'], 'hr'],
    [['--as', ' 主事 '], 'staff'],
  ])('%j plays %s', (argv, role) => {
    expect(readDemoRole(argv)).toBe(role);
  });

  it.each([
    [['--as', 'boss'], '--as: staff, manager or hr (got "boss")'],
    [['--as'], "Option '--as <value>' argument missing"],
    [['--role', 'hr'], "Unknown option '--role'"],
    [['manager'], 'Unexpected argument'],
  ])('%j is refused with one line, then the usage', (argv, line) => {
    let message = '';
    try {
      readDemoRole(argv);
    } catch (error) {
      expect(error).toBeInstanceOf(DemoRoleError);
      message = (error as Error).message;
    }
    const [first, usage] = message.split('\n');
    expect(first).toContain(line);
    expect(usage).toBe('usage: npm start [-- --as staff|manager|hr]   (主事 / 課長 / 人事 also work)');
  });

  it('staff is 住民課の主事 A0100, whom the repo’s Playground file signs in', () => {
    const person = demoPersonOf('staff', people);
    expect(person).toMatchObject({ id: 'A0100', unit: '住民課', role: 'staff', hr: false, aadObjectId: DEMO_STAFF_AAD_OBJECT_ID });
    expect(whoYouAre(person)).toBe('あなたは住民課 住民グループの主事、渡辺 健太（A0100）です。');
  });

  it('manager is their 課長 A0001, who sees 住民課’s レポート and holds 1on1s', () => {
    const person = demoPersonOf('manager', people);
    expect(person).toMatchObject({ id: 'A0001', unit: '住民課', role: 'manager', hr: false, aadObjectId: DEMO_MANAGER_AAD_OBJECT_ID });
    expect(people.filter((p) => p.managerId === 'A0001').length).toBeGreaterThan(0);
    expect(whoYouAre(person)).toBe('あなたは住民課の課長、工藤 陽菜（A0001）です。');
  });

  it('hr is an HR officer of 総務課 総務人事グループ, not a 課長', () => {
    const person = demoPersonOf('hr', people);
    expect(person).toMatchObject({ id: 'A0038', unit: '総務課', group: '総務人事グループ', role: 'senior', hr: true });
    expect(whoYouAre(person)).toBe('あなたは総務課 総務人事グループの主査（人事担当）、伊藤 悠斗（A0038）です。');
  });

  it('the Playground signs in the chosen person, with five other people of the directory around them', () => {
    const hr = demoPersonOf('hr', people);
    const config = playgroundConfigFor(hr, people, 'tenant-x') as {
      tenantId: string;
      currentUser: Record<string, string>;
      users: Record<string, string>[];
      personalChat: { id: string };
      team: { name: string };
    };
    expect(config.tenantId).toBe('tenant-x');
    expect(config.currentUser).toMatchObject({ id: hr.aadObjectId, aadObjectId: hr.aadObjectId, name: hr.name });
    expect(config.users).toHaveLength(5);
    const ids = config.users.map((u) => u.id);
    expect(new Set([...ids, config.currentUser.id]).size).toBe(6);
    // Their own manager first: a name the person recognises in the Playground's member list.
    expect(config.users[0]?.aadObjectId).toBe(people.find((p) => p.id === hr.managerId)?.aadObjectId);
    expect(config.personalChat.id).toBe('personal-chat-a0038');
    expect(config.team.name).toBe('総務課');
  });
});

describe('the demo history’s first day', () => {
  it.each([
    ['2026-12-02', '2026-10-01'],
    ['2026-09-30', '2026-04-01'],
    ['2027-03-31', '2026-10-01'],
    // A half under a month old also gets the half before, so a chart has months to show.
    ['2026-10-02', '2026-04-01'],
    ['2026-04-10', '2025-10-01'],
  ])('on %s it starts on %s', (today, start) => {
    expect(historyStart(today)).toBe(start);
  });
});
