import { OneOnOneRepository } from '../../src/features/oneonone/oneonone.repository';
import type { Clock } from '../../src/shared/clock';
import { personalMessage } from './activities';
import { loadTestOrg, teamsUserOf, type TestOrg } from './people';
import type { TestApp } from './test-app';

/**
 * Three 課 and a 副町長, small enough to add every figure up by hand:
 * 建設課 (5): 課長 M ← 主査 C ← 主任 L; M ← 主事 X, 会計年度 Y. 総務課 (2): 課長 M2 ← 主事 H (人事).
 * 住民課 (3): 課長 M3 ← 主査 J, 主事 K. 副町長 DEP (no 課) above the three 課長, so 7 1on1 pairs.
 */
export const KPI_CSV = `職員番号,氏名,所属,グループ,役職,上司,AADオブジェクトID,人事
DEP,副町長 二郎,,,副町長,,00000000-0000-4000-8000-000000000002,
M,建設 課長,建設課,,課長,DEP,00000000-0000-4000-8000-000000000003,
C,土木 主査,建設課,土木,主査,M,00000000-0000-4000-8000-000000000004,
L,土木 主任,建設課,土木,主任,C,00000000-0000-4000-8000-000000000005,
X,建築 主事,建設課,建築,主事,M,00000000-0000-4000-8000-000000000006,
Y,建築 任用,建設課,建築,会計年度任用職員,M,00000000-0000-4000-8000-000000000007,
M2,総務 課長,総務課,,課長,DEP,00000000-0000-4000-8000-000000000008,
H,人事 主事,総務課,総務人事,主事,M2,00000000-0000-4000-8000-000000000009,○
M3,住民 課長,住民課,,課長,DEP,00000000-0000-4000-8000-000000000010,
J,住民 主査,住民課,住民,主査,M3,00000000-0000-4000-8000-000000000011,
K,住民 主事,住民課,住民,主事,M3,00000000-0000-4000-8000-000000000012,
`;

export const jst = (iso: string): Date => new Date(`${iso}+09:00`);

/** How people of the KPI org use hibi, each step an activity posted to /api/messages. */
export interface KpiOrg extends TestOrg {
  say(id: string, text: string): Promise<void>;
  morning(id: string, day: string, fields: Record<string, string>): Promise<void>;
  evening(id: string, day: string, fields: Record<string, string>): Promise<void>;
  nearmiss(id: string, day: string, fields: Record<string, string>): Promise<void>;
  kudos(id: string, submitId: string, recipients: string, value: string): Promise<void>;
  /** Books a 1on1 on `day` the day before and saves its record on `day`: held that day. */
  holdOneOnOne(managerId: string, memberId: string, day: string, dayBefore: string): Promise<void>;
}

export async function loadKpiOrg(t: TestApp, clock: Clock & { set(at: Date): void }): Promise<KpiOrg> {
  const org = await loadTestOrg(t, KPI_CSV);
  const meetings = new OneOnOneRepository(t.app.tables);
  let formSeq = 0;
  return {
    ...org,
    say: async (id, text) => void (await t.post(personalMessage(teamsUserOf(org.by(id), org.base), text))),
    morning: (id, day, fields) => org.submit(id, { verb: 'checkin.submit', slot: 'morning', day, priority: '業務', ...fields }),
    evening: (id, day, fields) => org.submit(id, { verb: 'checkin.submit', slot: 'evening', day, done: '業務', ...fields }),
    nearmiss: (id, day, fields) => {
      formSeq += 1;
      const formId = `00000000-0000-4000-8000-${String(formSeq).padStart(12, '0')}`;
      return org.submit(id, {
        verb: 'nearmiss.submit',
        formId,
        date: day,
        time: '09:00',
        impact: '1',
        anonymous: 'false',
        what: `${id}のヒヤリ本文`,
        ...fields,
      });
    },
    kudos: (id, submitId, recipients, value) =>
      org.submit(id, { verb: 'kudos.send', submitId, recipients, value, message: `${id}からの感謝の言葉`, public: 'false' }),
    holdOneOnOne: async (managerId, memberId, day, dayBefore) => {
      clock.set(jst(`${dayBefore}T10:00:00`));
      await org.submit(managerId, { verb: 'oneonone.schedule.save', memberId, date: day, time: '10:00', length: '30' });
      const [meeting] = await meetings.listForPair(t.tenantId, managerId, memberId);
      if (!meeting) throw new Error(`no 1on1 booked for ${managerId}–${memberId}`);
      clock.set(jst(`${day}T11:00:00`));
      await org.submit(managerId, { verb: 'oneonone.record.save', managerId, memberId, meetingId: meeting.meetingId, good: '1on1の記録本文' });
    },
  };
}
