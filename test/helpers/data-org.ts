import { parseOrgCsv } from '../../src/directory/org-csv';
import { ONEONONE_TABLES } from '../../src/features/oneonone/oneonone.repository';
import { personalMessage } from './activities';
import { loadTestOrg, teamsUserOf, type TestOrg } from './people';
import type { TestApp } from './test-app';

const HEADER = '職員番号,氏名,所属,グループ,役職,上司,AADオブジェクトID,人事,メールアドレス';
const PEOPLE = [
  'MAY,町長 一郎,,,町長,,00000000-0000-4000-8000-000000000001,,',
  'DEP,副町長 二郎,,,副町長,MAY,00000000-0000-4000-8000-000000000002,,',
  'M,建設 課長,建設課,,課長,DEP,00000000-0000-4000-8000-000000000003,,',
  'S,土木 主査,建設課,土木,主査,M,00000000-0000-4000-8000-000000000004,,',
  'L,土木 主任,建設課,土木,主任,S,00000000-0000-4000-8000-000000000005,,',
  'RX77,退職 予定,建設課,建築,主任,M,00000000-0000-4000-8000-000000000006,,rx77@town.example',
  'ST1,建築 主事,建設課,建築,主事,RX77,00000000-0000-4000-8000-000000000007,,',
  'M2,総務 課長,総務課,,課長,DEP,00000000-0000-4000-8000-000000000008,,',
  'H,人事 主事,総務課,総務人事,主事,M2,00000000-0000-4000-8000-000000000009,○,',
];

/**
 * 建設課: 課長 M ← 主査 S ← 主任 L; M ← 主任 RX77 ← 主事 ST1. RX77 is the one who leaves: a member
 * (of M) and a manager (of ST1), so both sides of a 1on1 and of a プラス評価 are there to purge.
 */
export const DATA_CSV = [HEADER, ...PEOPLE].join('\n');

/** The directory after RX77 left: ST1 reports to M now. */
export const DATA_CSV_AFTER = [
  HEADER,
  ...PEOPLE.filter((line) => !line.startsWith('RX77,')).map((line) => line.replace(',建築,主事,RX77,', ',建築,主事,M,')),
].join('\n');

export interface DataOrg extends TestOrg {
  say(id: string, text: string, entities?: object[]): Promise<void>;
  mention(id: string): object;
  /** The meeting id of the pair's only 1on1. */
  meetingOf(managerId: string, memberId: string): Promise<string>;
  /** Replaces the directory, as an import does. */
  reimport(csv: string): Promise<void>;
}

export async function loadDataOrg(t: TestApp, csv = DATA_CSV): Promise<DataOrg> {
  const org = await loadTestOrg(t, csv);
  for (const person of org.people) t.connector.addMember({ id: `29:${person.id}`, aadObjectId: person.aadObjectId, name: person.name });
  return {
    ...org,
    say: async (id, text, entities = []) => void (await t.post({ ...personalMessage(teamsUserOf(org.by(id), org.base), text), entities })),
    mention: (id) => ({ type: 'mention', mentioned: { id: `29:${id}`, name: org.by(id).name }, text: `<at>${org.by(id).name}</at>` }),
    meetingOf: async (managerId, memberId) => {
      const filter = `PartitionKey eq '${t.tenantId}|${managerId}' and memberId eq '${memberId}'`;
      for await (const e of t.app.tables.table(ONEONONE_TABLES.meetings).listEntities<{ meetingId: string }>({ queryOptions: { filter } })) return e.meetingId;
      throw new Error(`no 1on1 for ${managerId} → ${memberId}`);
    },
    reimport: async (next) => {
      const parsed = parseOrgCsv(next);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      await t.app.org.importDirectory(t.tenantId, parsed.directory);
    },
  };
}
