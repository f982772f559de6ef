import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEPARTED, PERSON_TABLES } from '../../src/features/data/person-records';
import type { PersonExport } from '../../src/features/data/export';
import { CHECKIN_TABLES } from '../../src/features/checkin/checkin.repository';
import { KUDOS_TABLES } from '../../src/features/kudos/kudos.repository';
import { NEARMISS_TABLES } from '../../src/features/nearmiss/nearmiss.repository';
import { ONEONONE_TABLES } from '../../src/features/oneonone/oneonone.repository';
import { ORG_SYNC_TABLES } from '../../src/directory/org-sync.repository';
import { fixedClock } from '../../src/shared/clock';
import { TABLES } from '../../src/storage/table-names';
import { runDataCli } from '../helpers/data-cli';
import { DATA_CSV_AFTER, loadDataOrg, type DataOrg } from '../helpers/data-org';
import { startTestApp, type TestApp } from '../helpers/test-app';

const jst = (iso: string): Date => new Date(`${iso}+09:00`);
const RX77_AAD = '00000000-0000-4000-8000-000000000006';
const VERSION = (JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

/**
 * RX77 leaves the town hall after a year of hibi: check-ins, a help request taken, 1on1s on both
 * sides, kudos both ways, a プラス評価 given, a named and an anonymous near-miss, all made through
 * /api/messages the way people make them. Export, then purge, run as the operator runs them.
 */
describe('data lifecycle of a person who leaves: export and purge through the CLI', () => {
  // Friday 2026-11-20; the 1on1s are on Tuesday 11-24 (Monday 11-23 is 勤労感謝の日).
  const clock = fixedClock(jst('2026-11-20T10:00:00'));
  let t: TestApp;
  let org: DataOrg;
  const dir = mkdtempSync(path.join(tmpdir(), 'hibi-data-'));

  async function rows(table: string, filter = `PartitionKey ge '${t.tenantId}' and PartitionKey lt '${t.tenantId}~'`): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    for await (const e of t.app.tables.table(table).listEntities({ queryOptions: { filter } })) out.push(e);
    return out;
  }
  const cli = (...args: string[]) => runDataCli([...args, '--tenant', t.tenantId], t.connectionString);

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    org = await loadDataOrg(t);
    await org.say('RX77', '言語 日本語');
    // ST1 needs help; RX77, their manager, takes it.
    await org.submit('ST1', {
      verb: 'checkin.submit',
      slot: 'morning',
      day: '2026-11-20',
      priority: 'ST1の最優先',
      trouble: 'ST1の困りごと',
      needHelp: 'true',
      condition: '3',
    });
    await t.app.deliverPending();
    await org.submit('RX77', { verb: 'checkin.help.take', day: '2026-11-20', unit: '建設課', reporterId: 'ST1' });
    await org.submit('RX77', {
      verb: 'checkin.submit',
      slot: 'morning',
      day: '2026-11-20',
      priority: 'RX77の最優先',
      purpose: 'RX77の目的',
      needHelp: 'false',
      condition: '4',
    });

    const book = (managerId: string, memberId: string, time: string) =>
      org.submit(managerId, { verb: 'oneonone.schedule.save', memberId, date: '2026-11-24', time, length: '30' });
    await book('M', 'RX77', '14:00');
    await book('RX77', 'ST1', '15:00');
    await book('M', 'S', '16:00');
    const withM = await org.meetingOf('M', 'RX77');
    const withST1 = await org.meetingOf('RX77', 'ST1');
    const withS = await org.meetingOf('M', 'S');
    await org.submit('RX77', { verb: 'oneonone.agenda.save', managerId: 'M', meetingId: withM, topics: 'RX77のアジェンダ' });
    await org.submit('ST1', { verb: 'oneonone.agenda.save', managerId: 'RX77', meetingId: withST1, topics: 'ST1のアジェンダ' });
    await org.submit('S', { verb: 'oneonone.agenda.save', managerId: 'M', meetingId: withS, topics: 'Sのアジェンダ' });
    clock.set(jst('2026-11-24T17:00:00'));
    await org.submit('M', { verb: 'oneonone.record.save', managerId: 'M', memberId: 'RX77', meetingId: withM, good: 'RX77への記録' });
    await org.submit('RX77', {
      verb: 'oneonone.record.save',
      managerId: 'RX77',
      memberId: 'ST1',
      meetingId: withST1,
      good: 'ST1への記録',
      action1Text: 'ST1の手順書',
      action1Owner: 'member',
      action1Due: '2026-12-01',
    });
    await org.submit('M', { verb: 'oneonone.record.save', managerId: 'M', memberId: 'S', meetingId: withS, good: 'Sへの記録' });

    await org.say('L', 'ありがとう <at>退職 予定</at> Lから退職予定へ、抱え込まないでくれて助かりました', [org.mention('RX77')]);
    await org.say('RX77', 'ありがとう <at>建築 主事</at> 主任からST1へ、学び続ける姿勢に感謝', [org.mention('ST1')]);
    await org.say('S', 'ありがとう <at>土木 主任</at> SからLへ、誠実に対応してくれました', [org.mention('L')]);

    const report = (id: string, what: string, anonymous: boolean) =>
      org.submit(id, {
        verb: 'nearmiss.submit',
        date: '2026-11-24',
        time: '16:30',
        category: 'counter',
        impact: '2',
        cause: 'check',
        what,
        anonymous: String(anonymous),
      });
    await report('RX77', '記名の報告テキスト', false);
    await report('RX77', '匿名の報告テキスト', true);
    await report('L', 'Lの名前付き報告', false);
    await t.app.deliverPending();
    await org.reimport(DATA_CSV_AFTER);
    // What `npm run org:sync` keeps of Entra: RX77's own user, ST1 (whose Entra manager is RX77), L, and HR's mapping naming RX77.
    const users = t.app.tables.table(ORG_SYNC_TABLES.users);
    await users.upsertEntity({
      partitionKey: t.tenantId,
      rowKey: RX77_AAD,
      displayName: '退職 予定',
      mail: 'rx77@town.example',
      employeeId: 'RX77',
      managerId: '00000000-0000-4000-8000-000000000003',
    });
    await users.upsertEntity({
      partitionKey: t.tenantId,
      rowKey: '00000000-0000-4000-8000-000000000007',
      displayName: '建築 主事',
      employeeId: 'ST1',
      managerId: RX77_AAD,
    });
    await users.upsertEntity({
      partitionKey: t.tenantId,
      rowKey: '00000000-0000-4000-8000-000000000005',
      displayName: '土木 主任',
      employeeId: 'L',
      managerId: '00000000-0000-4000-8000-000000000004',
    });
    const mapping = { units: {}, roles: {}, exclude: ['RX77@town.example', 'svc@town.example'], hr: ['h@town.example'] };
    await t.app.tables.table(ORG_SYNC_TABLES.state).upsertEntity({
      partitionKey: t.tenantId,
      rowKey: 'state',
      deltaLink: 'https://graph.example/delta',
      deltaLinkAt: '2026-11-19T00:00:00Z',
      mapping: JSON.stringify(mapping),
      syncedAt: '2026-11-19T00:00:00Z',
    });
  }, 120_000);
  afterAll(() => t.stop());

  it('made every kind of record the way people do (so the rest has something to find)', async () => {
    const checkins = await rows(CHECKIN_TABLES.checkins);
    expect(checkins.map((c) => [c.personId, c.helpTakenBy]).sort()).toEqual([
      ['RX77', ''],
      ['ST1', 'RX77'],
    ]);
    expect((await rows(ONEONONE_TABLES.meetings)).map((m) => `${m.managerId}>${m.memberId}:${m.status}`).sort()).toEqual([
      'M>RX77:held',
      'M>S:held',
      'RX77>ST1:held',
    ]);
    expect((await rows(ONEONONE_TABLES.held)).map((m) => `${m.managerId}>${m.memberId}:${m.heldDay}`).sort()).toEqual([
      'M>RX77:2026-11-24',
      'M>S:2026-11-24',
      'RX77>ST1:2026-11-24',
    ]);
    expect((await rows(KUDOS_TABLES.kudos)).map((k) => `${k.senderId}>${String(k.partitionKey).split('|')[1]}`).sort()).toEqual(['L>RX77', 'RX77>ST1', 'S>L']);
    // A manager's kudos to their own member is also a プラス評価: RX77 → ST1, and S → L.
    expect((await rows(KUDOS_TABLES.plus)).map((p) => p.managerId).sort()).toEqual(['RX77', 'S']);
    const reports = await rows(NEARMISS_TABLES.reports);
    expect(reports.map((r) => [r.what, r.anonymous, r.reporterId]).sort()).toEqual([
      ['Lの名前付き報告', false, 'L'],
      ['匿名の報告テキスト', true, ''],
      ['記名の報告テキスト', false, 'RX77'],
    ]);
    // The anonymous report row holds nothing of its reporter: checked on storage, not only in the repository code.
    const anonymous = JSON.stringify(reports.find((r) => r.anonymous === true));
    for (const needle of ['RX77', '退職 予定', '00000000-0000-4000-8000-000000000006']) expect(anonymous).not.toContain(needle);
    expect((await rows(TABLES.people)).find((p) => p.rowKey === 'RX77')?.active).toBe(false);
  });

  it('export: a header and one section per table, with RX77’s records and no one else’s, and not the anonymous report', async () => {
    const file = path.join(dir, 'RX77.json');
    const run = await cli('export', '--person', 'RX77', '--out', file);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('RX77 のデータを書き出しました');
    // Personal data: readable by the operator's account only.
    expect(statSync(file).mode & 0o077).toBe(0);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as PersonExport;
    expect(exported.header).toMatchObject({ format: 'hibi-person-export/1', personId: 'RX77', tenantId: t.tenantId, hibiVersion: VERSION });
    expect(Date.parse(exported.header.exportedAt)).not.toBeNaN();
    expect(exported.sections.map((s) => s.table)).toEqual(PERSON_TABLES.map((p) => p.table));
    const section = (table: string) => exported.sections.find((s) => s.table === table)?.rows ?? [];
    const text = (table: string) => JSON.stringify(section(table));

    expect(section(TABLES.people)).toEqual([expect.objectContaining({ rowKey: 'RX77', name: '退職 予定', active: false })]);
    // Entra's copy of RX77, ST1 named only as someone RX77 manages, and HR's mapping that names RX77's address.
    expect(section(ORG_SYNC_TABLES.users)).toEqual([
      expect.objectContaining({ rowKey: RX77_AAD, employeeId: 'RX77', mail: 'rx77@town.example' }),
      { managerOf: '00000000-0000-4000-8000-000000000007' },
    ]);
    expect(text(ORG_SYNC_TABLES.state)).toContain('RX77@town.example');
    expect(section(TABLES.preferences)).toEqual([expect.objectContaining({ locale: 'ja' })]);
    expect(section(TABLES.conversations)).toEqual([
      { channelId: 'msteams', conversationId: 'a:personal-RX77', conversationType: 'personal', userId: '29:RX77', botId: '28:hibi-bot' },
    ]);
    // Own check-in with its answers; the help request taken shows the day only, not ST1's words.
    expect(section(CHECKIN_TABLES.checkins)).toEqual([
      expect.objectContaining({
        day: '2026-11-20',
        unit: '建設課',
        slot: 'morning',
        answers: expect.objectContaining({ priority: 'RX77の最優先', condition: 4 }),
      }),
      { relation: 'helpTakenBy', day: '2026-11-20', unit: '建設課', slot: 'morning' },
    ]);
    expect(text(CHECKIN_TABLES.checkins)).not.toContain('ST1の');
    // Both 1on1 pairs RX77 is in (as member of M, as manager of ST1), not M and S's.
    expect(
      section(ONEONONE_TABLES.meetings)
        .map((m) => `${m.relation}:${m.managerId}>${m.memberId}`)
        .sort(),
    ).toEqual(['manager:RX77>ST1', 'member:M>RX77']);
    expect(
      section(ONEONONE_TABLES.held)
        .map((m) => `${m.relation}:${m.managerId}>${m.memberId}`)
        .sort(),
    ).toEqual(['manager:RX77>ST1', 'member:M>RX77']);
    const texts = text(ONEONONE_TABLES.texts);
    for (const needle of ['RX77のアジェンダ', 'RX77への記録', 'ST1のアジェンダ', 'ST1への記録']) expect(texts).toContain(needle);
    for (const needle of ['Sのアジェンダ', 'Sへの記録']) expect(texts).not.toContain(needle);
    expect(
      section(KUDOS_TABLES.kudos)
        .map((k) => `${k.relation}:${k.senderId}>${k.recipientId}`)
        .sort(),
    ).toEqual(['recipient:L>RX77', 'sender:RX77>ST1']);
    expect(text(KUDOS_TABLES.kudos)).not.toContain('SからLへ');
    expect(section(KUDOS_TABLES.plus)).toEqual([expect.objectContaining({ relation: 'manager', memberId: 'ST1', managerId: 'RX77' })]);
    expect(section(KUDOS_TABLES.sent)).toEqual([expect.objectContaining({ recipients: ['ST1'] })]);
    // The named report only, whole; the anonymous one is nowhere in the file.
    expect(section(NEARMISS_TABLES.reports)).toEqual([expect.objectContaining({ relations: ['reporter'], what: '記名の報告テキスト' })]);
    const whole = JSON.stringify(exported);
    expect(whole).not.toContain('匿名の報告テキスト');
    expect(whole).not.toContain('Lの名前付き報告');
    // Messages addressed to RX77, and only those.
    const outbox = section(TABLES.outbox);
    expect(outbox.length).toBeGreaterThan(0);
    const addressed = (await rows(TABLES.outbox))
      .filter((r) => JSON.parse(String(r.recipient)).personId === 'RX77')
      .map((r) => r.key)
      .sort();
    expect(outbox.map((r) => r.key).sort()).toEqual(addressed);
  });

  it('purge: refuses someone still in the directory, and changes nothing on a dry run', async () => {
    const refused = await cli('purge', '--person', 'L', '--yes');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('在籍中');
    expect((await rows(KUDOS_TABLES.kudos)).length).toBe(3);

    const before = JSON.stringify(await Promise.all(PERSON_TABLES.map((p) => rows(p.table))));
    const dry = await cli('purge', '--person', 'RX77');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('試行');
    expect(dry.stdout).toContain('--yes');
    expect(dry.stdout).toMatch(/ありがとう（受け取ったもの・送ったもの）（kudos）: 削除 1 件 \/ 匿名化 1 件/);
    expect(JSON.stringify(await Promise.all(PERSON_TABLES.map((p) => rows(p.table))))).toBe(before);
  });

  it('purge --yes: RX77 is gone, the others’ records stay meaningful, and a second run finds 0', async () => {
    const run = await cli('purge', '--person', 'RX77', '--yes');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('RX77 のデータを削除しました');

    expect((await rows(TABLES.people)).map((p) => p.rowKey)).not.toContain('RX77');
    // Entra's copy: RX77's own row gone, ST1's manager blank until the next sync reads Entra, L untouched; the mapping keeps everyone else.
    expect((await rows(ORG_SYNC_TABLES.users)).map((u) => `${String(u.employeeId)}>${String(u.managerId)}`).sort()).toEqual([
      'L>00000000-0000-4000-8000-000000000004',
      'ST1>',
    ]);
    const state = (await rows(ORG_SYNC_TABLES.state))[0];
    expect(JSON.parse(String(state?.mapping))).toEqual({ units: {}, roles: {}, exclude: ['svc@town.example'], hr: ['h@town.example'] });
    expect(state?.deltaLink).toBe('https://graph.example/delta');
    const checkins = await rows(CHECKIN_TABLES.checkins);
    expect(checkins.map((c) => [c.personId, c.helpTakenBy])).toEqual([['ST1', DEPARTED]]);
    expect(JSON.parse(String(checkins[0]?.answers))).toMatchObject({ trouble: 'ST1の困りごと' });
    // The 1on1s held stay for M and ST1 and the 実施率, the departed side renamed; M's notes on RX77 are gone, ST1's own are kept.
    expect((await rows(ONEONONE_TABLES.meetings)).map((m) => `${m.managerId}>${m.memberId}:${m.status}`).sort()).toEqual([
      'M>S:held',
      `M>${DEPARTED}:held`,
      `${DEPARTED}>ST1:held`,
    ]);
    // Their held index rows move with them, so the rollup counts what the meetings say.
    const held = await rows(ONEONONE_TABLES.held);
    expect(held.map((m) => `${m.managerId}>${m.memberId}`).sort()).toEqual(['M>S', `M>${DEPARTED}`, `${DEPARTED}>ST1`]);
    expect(held.map((m) => String(m.rowKey).split('|').slice(0, 2).join('>')).sort()).toEqual(['M>S', `M>${DEPARTED}`, `${DEPARTED}>ST1`]);
    const texts = await rows(ONEONONE_TABLES.texts);
    const bodies = texts.map((x) => String(x.body)).join('\n');
    for (const needle of ['RX77のアジェンダ', 'RX77への記録']) expect(bodies).not.toContain(needle);
    for (const needle of ['ST1のアジェンダ', 'ST1への記録', 'Sのアジェンダ', 'Sへの記録']) expect(bodies).toContain(needle);
    expect(
      texts
        .filter((x) => String(x.partitionKey) === `${t.tenantId}|${DEPARTED}|ST1`)
        .map((x) => x.authorId)
        .sort(),
    ).toEqual(['ST1', DEPARTED]);
    expect(await rows(ONEONONE_TABLES.pairs)).not.toContainEqual(expect.objectContaining({ managerId: 'RX77' }));
    // Kudos: what RX77 received is gone; what they sent stays with ST1, from DEPARTED; others' untouched.
    expect((await rows(KUDOS_TABLES.kudos)).map((k) => `${k.senderId}>${String(k.partitionKey).split('|')[1]}:${k.message}`).sort()).toEqual([
      'S>L:SからLへ、誠実に対応してくれました',
      `${DEPARTED}>ST1:主任からST1へ、学び続ける姿勢に感謝`,
    ]);
    expect((await rows(KUDOS_TABLES.plus)).map((p) => p.managerId).sort()).toEqual(['S', DEPARTED]);
    expect((await rows(KUDOS_TABLES.sent)).map((k) => k.recipients)).toEqual(expect.arrayContaining([JSON.stringify([DEPARTED])]));
    // Reports are the safety record: all three stay; RX77's named one no longer names anyone.
    const reports = await rows(NEARMISS_TABLES.reports);
    expect(reports.map((r) => [r.what, r.reporterId]).sort()).toEqual([
      ['Lの名前付き報告', 'L'],
      ['匿名の報告テキスト', ''],
      ['記名の報告テキスト', ''],
    ]);
    // Nothing outside the outbox names RX77 any more; no message addressed to RX77 is left.
    for (const table of PERSON_TABLES.map((p) => p.table).filter((name) => name !== TABLES.outbox)) {
      expect([table, (await rows(table)).filter((r) => JSON.stringify(r).includes('RX77'))]).toEqual([table, []]);
    }
    expect((await rows(TABLES.outbox)).filter((r) => JSON.parse(String(r.recipient)).personId === 'RX77')).toEqual([]);

    const again = await cli('purge', '--person', 'RX77', '--yes');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('合計: 削除 0 件 / 匿名化 0 件');
    expect(again.stdout).toContain('削除するデータはありません');
  });
});
