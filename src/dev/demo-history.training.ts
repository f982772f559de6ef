import { addDays, fiscalPeriodOf } from '../calendar/office-calendar';
import type { TrainingRepository } from '../features/training/training.public';
import type { Answer, TrainingKind, TrainingPlan } from '../features/training/training.schema';
import { attendanceDay, isTargeted, trainingIdFor } from '../features/training/training.service';
import type { RoleKey } from '../directory/org.schema';
import { between, chance, intBetween, pickOne, randomFor, type Random } from './demo-random';
import { halvesOf, isOnLeave, nthOfficeDay, tokyoAt, traitsOf, type DaysLoad, type Member } from './demo-history.plan';

/**
 * The demo town's training: each 課 has two or three of its own trainings in a fiscal half and the
 * whole town one required course, registered as HR does (three weeks ahead, invitations marked
 * sent), with attendance answered on the card after it or recorded by HR from the sign-in sheet.
 * So 研修 未受講 and the report's 研修受講率 have figures, a few people short of the 95% target.
 */

interface TrainingSpec {
  name: string;
  kind: TrainingKind;
  required: boolean;
  roles?: RoleKey[];
  /** Office days it lasts. */
  days?: number;
}

const UNIT_TRAININGS: Readonly<Record<string, readonly TrainingSpec[]>> = {
  住民課: [
    { name: '窓口接遇研修', kind: 'offjt', required: true },
    { name: '戸籍事務研修', kind: 'external', required: false, roles: ['lead', 'staff'] },
    { name: '個人番号事務の安全管理研修', kind: 'offjt', required: true },
  ],
  総務課: [
    { name: '予算編成事務研修', kind: 'offjt', required: true },
    { name: '情報セキュリティ実務研修', kind: 'external', required: true, days: 2 },
    { name: '契約・入札事務研修', kind: 'external', required: false },
  ],
  産業経済課: [
    { name: '補助金審査事務研修', kind: 'offjt', required: true },
    { name: '鳥獣被害対策実務研修', kind: 'external', required: false, days: 2 },
    { name: '観光振興セミナー', kind: 'external', required: false },
  ],
  建設課: [
    { name: '現場安全管理研修', kind: 'offjt', required: true },
    { name: '積算基準研修', kind: 'external', required: true, roles: ['senior', 'lead', 'staff'], days: 2 },
    { name: '水道事業の危機管理研修', kind: 'offjt', required: false },
  ],
  まちづくり推進課: [
    { name: '政策立案・データ活用研修', kind: 'offjt', required: true },
    { name: 'ファシリテーション研修', kind: 'external', required: false },
    { name: '移住相談対応研修', kind: 'offjt', required: true },
  ],
  生涯学習課: [
    { name: '社会教育主事講習（前期）', kind: 'external', required: false, roles: ['lead', 'staff'], days: 2 },
    { name: 'イベント安全管理研修', kind: 'offjt', required: true },
    { name: '図書館サービス研修', kind: 'external', required: false },
  ],
  農業委員会: [
    { name: '農地法実務研修', kind: 'external', required: true },
    { name: '農地台帳システム操作研修', kind: 'offjt', required: true },
  ],
};

/** One of these each half for every member of staff: the policy's 研修受講率 counts them. */
const TOWN_TRAININGS: readonly TrainingSpec[] = [
  { name: 'ハラスメント防止研修', kind: 'offjt', required: true },
  { name: '情報セキュリティ研修（全職員）', kind: 'offjt', required: true },
  { name: 'コンプライアンス研修', kind: 'offjt', required: true },
];

const MISSED_NOTES = ['窓口当番のため欠席', '体調不良のため欠席', '議会対応のため欠席', '現場立会いと重なったため欠席'];
const LEAVE_NOTE = '休暇のため欠席';

function planOf(spec: TrainingSpec, units: string[], startDay: string): TrainingPlan {
  const endDay = nthOfficeDay(startDay, (spec.days ?? 1) - 1);
  return {
    id: trainingIdFor(spec.name, startDay),
    name: spec.name,
    startDay,
    endDay,
    kind: spec.kind,
    units,
    roles: spec.roles ?? [],
    required: spec.required,
  };
}

/** A half's trainings: each 課's a week or so apart from the half's fourth office day, the town's in the third week. */
export function trainingsOfHalf(halfStart: string, units: readonly string[]): TrainingPlan[] {
  const half = fiscalPeriodOf(halfStart).id;
  const town = randomFor('training-town', half);
  const out = [planOf(pickOne(town, TOWN_TRAININGS), [], nthOfficeDay(halfStart, intBetween(town, 9, 12)))];
  for (const unit of units) {
    const r = randomFor('training-unit', half, unit);
    const specs = UNIT_TRAININGS[unit] ?? [];
    const count = Math.min(specs.length, chance(r, 0.5) ? 3 : 2);
    const offset = intBetween(r, 0, specs.length - 1);
    for (let j = 0; j < count; j++) {
      const spec = specs[(offset + j) % specs.length] as TrainingSpec;
      out.push(planOf(spec, [unit], nthOfficeDay(halfStart, 3 + 6 * j + intBetween(r, 0, 3))));
    }
  }
  return out;
}

interface AttendanceWrite {
  personId: string;
  answer: Answer;
  note?: string;
  /** HR's record from the sign-in sheet rather than the person's own answer. */
  byHr: boolean;
  at: Date;
}

/**
 * Who attended: a required training is answered by nearly everyone (on leave that day = missed),
 * HR recording about a quarter from the sheet; an optional one is recorded by HR for those who went.
 */
function attendanceOf(training: TrainingPlan, member: Member, r: Random): AttendanceWrite | undefined {
  const asked = attendanceDay(training.endDay);
  const onLeave = isOnLeave(member, traitsOf(member), training.startDay);
  if (!training.required) {
    return !onLeave && chance(r, 0.35) ? { personId: member.id, answer: 'attended', byHr: true, at: tokyoAt(asked, 16 * 60 + between(r, 0, 60)) } : undefined;
  }
  const roll = r();
  if (!onLeave && roll >= 0.985) return undefined;
  const answer: Answer = onLeave || roll >= 0.97 ? 'missed' : 'attended';
  const note = answer === 'missed' ? (onLeave ? LEAVE_NOTE : pickOne(r, MISSED_NOTES)) : undefined;
  const byHr = chance(r, 0.25);
  return { personId: member.id, answer, note: byHr ? undefined : note, byHr, at: tokyoAt(asked, (byHr ? 16 * 60 : 9 * 60) + between(r, 0, 90)) };
}

/**
 * The trainings whose attendance day is loaded now (so every one of them is over and asked about),
 * each saved (unchanged when already there) and marked invited, then the attendance of everyone it
 * was for who has no row yet: an answer given in the Playground stays. Returns the rows written.
 */
export async function writeTrainingHistory(trainings: TrainingRepository, load: DaysLoad): Promise<number> {
  const loading = new Set(load.days);
  const units = [...new Set(load.members.map((m) => m.unit))].sort();
  let written = 0;
  for (const half of halvesOf(load.days)) {
    for (const plan of trainingsOfHalf(half, units).filter((t) => loading.has(attendanceDay(t.endDay)))) {
      await trainings.save(load.tenantId, plan, tokyoAt(addDays(plan.startDay, -21), 10 * 60));
      await trainings.markInvited(load.tenantId, plan.id, 1);
      const recorded = new Set((await trainings.listAttendanceOf(load.tenantId, plan.id)).map((a) => a.personId));
      const rows = load.members
        .filter((m) => isTargeted(plan, m) && !recorded.has(m.id))
        .flatMap((m) => attendanceOf(plan, m, randomFor('training-attendance', plan.id, m.id)) ?? []);
      await Promise.all(
        rows.map((row) =>
          row.byHr
            ? trainings.recordHr(load.tenantId, plan.id, row.personId, row.answer, row.at)
            : trainings.recordSelf(load.tenantId, plan.id, row.personId, row.answer, row.note, row.at),
        ),
      );
      written += rows.length;
    }
  }
  return written;
}
