import { DateTime } from 'luxon';
import { fiscalPeriodOf } from '../calendar/office-calendar';
import type { OjtRepository } from '../features/ojt/ojt.public';
import { assignProblem, markSteps } from '../features/ojt/ojt.rules';
import type { Assignment, Plan, PlanStep } from '../features/ojt/ojt.schema';
import type { RoleKey } from '../directory/org.schema';
import { between, chance, hexOf, pickOne, randomFor } from './demo-random';
import { nthOfficeDay, tokyoAt, type DaysLoad, type Member } from './demo-history.plan';
import { PRIORITIES } from './demo-history.texts';

/**
 * The demo town's OJT: in each group the newest 主事 (the highest staff number) is given a 主任 or
 * 主査 of the group as mentor at the start of the fiscal year, the mentor writes a six-step plan two
 * weeks later, and records progress on the first office day of each month, mostly on time. So OJT
 * (the junior's plan, the mentor's list), OJT 担当 and the report's OJT figures have something to show.
 */

/** The plan is written this many office days after the assignment. */
const PLAN_AFTER_OFFICE_DAYS = 8;
/** Chance that a step is done a month after its due month rather than in it. */
const LATE_STEP = 0.2;

const COMMENTS = [
  '窓口対応が落ち着いてきた。次は一人で判断する場面を増やしていく。',
  '手順書を自分で更新してくれた。引き続き不明点は早めに相談を。',
  '繁忙期で予定より遅れたが、来月で取り戻せる見込み。',
  '町民からの問合せに丁寧に対応できている。',
  '課内の打合せで意見を言えるようになってきた。',
  '前例のないケースで迷ったときに相談できていて良い。',
];

interface OjtPair {
  junior: Member;
  mentor: Member;
  manager: Member;
}

/** Per group (or 課 without groups): its newest 主事, with the group's first 主任 (else 主査) as mentor, as the 課長 may assign. */
export function ojtPairsOf(members: readonly Member[]): OjtPair[] {
  const byId = (a: Member, b: Member): number => a.id.localeCompare(b.id);
  const out: OjtPair[] = [];
  const teams = new Set(members.map((m) => `${m.unit}|${m.group ?? ''}`));
  for (const team of [...teams].sort()) {
    const people = members.filter((m) => `${m.unit}|${m.group ?? ''}` === team).sort(byId);
    const unit = members.filter((m) => m.unit === people[0]?.unit);
    const manager = unit.find((m) => m.role === 'manager');
    const junior = people.filter((m) => m.role === 'staff').at(-1);
    const ofRole = (role: RoleKey): Member | undefined => people.find((m) => m.role === role) ?? unit.find((m) => m.role === role);
    const mentor = ofRole('lead') ?? ofRole('senior');
    if (manager && junior && mentor && !assignProblem(manager, mentor, junior)) out.push({ junior, mentor, manager });
  }
  return out;
}

const monthOf = (day: string): string => day.slice(0, 7);
const plusMonths = (month: string, n: number): string => DateTime.fromISO(`${month}-01`).plus({ months: n }).toFormat('yyyy-MM');

function stepsOf(junior: Member, createdOn: string): PlanStep[] {
  const work = PRIORITIES[junior.unit] ?? ['担当業務'];
  const offset = Math.floor(randomFor('ojt-work', junior.id)() * work.length);
  const [first, second, third] = [0, 1, 2].map((i) => work[(offset + i) % work.length] as string);
  const texts = [
    '窓口・電話応対の基本を身につける',
    `${first}を指導担当と一緒に担当する`,
    `${first}を一人で担当する`,
    `${second}の手順書を作成する`,
    `${third}を一人で担当する`,
    '上期の振り返りを課内で発表する',
  ];
  return texts.map((text, i) => ({ text, due: `${plusMonths(monthOf(createdOn), i + 1)}-15` }));
}

/** The steps ticked in a month's record: those due by that month, a late one the month after. */
function doneBy(junior: Member, steps: readonly PlanStep[], month: string): number[] {
  return steps.flatMap((step, i) => {
    const late = chance(randomFor('ojt-late', junior.id, step.due, i), LATE_STEP);
    return plusMonths(monthOf(step.due), late ? 1 : 0) <= month ? [i + 1] : [];
  });
}

function formIdOf(juniorId: string, createdOn: string): string {
  const h = hexOf(randomFor('ojt-form', juniorId, createdOn), 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Each pair: the assignment and plan when absent, then a progress record for every month from the
 * plan's to the last day loaded that has none, each ticking the plan's steps as the progress card
 * does. A junior someone assigned to another mentor in the Playground, or whose OJT a 課長 ended
 * there, is left as they set it. Returns the plans and progress records written.
 */
export async function writeOjtHistory(ojt: OjtRepository, load: DaysLoad): Promise<number> {
  const [firstLoaded, last] = [load.days[0], load.days.at(-1)];
  if (!firstLoaded || !last) return 0;
  const written = await Promise.all(
    ojtPairsOf(load.members).map(async ({ junior, mentor, manager }) => {
      const { tenantId } = load;
      const current = await ojt.assignment(tenantId, junior.id);
      if (current && (current.mentorId !== mentor.id || current.endedOn)) return 0;
      // A pair the demo began in an earlier load carries on; a new one began at its fiscal year's start.
      const since = current?.since ?? nthOfficeDay(`${fiscalPeriodOf(firstLoaded).fiscalYear}-04-01`, 0);
      const createdOn = nthOfficeDay(since, PLAN_AFTER_OFFICE_DAYS);
      const assignment: Assignment = {
        tenantId,
        juniorId: junior.id,
        mentorId: mentor.id,
        unit: junior.unit,
        assignedBy: manager.id,
        since,
        updatedAt: tokyoAt(since, 11 * 60).toISOString(),
      };
      if (!current) await ojt.saveAssignment(assignment);
      if (createdOn > last) return 0;
      let count = 0;
      let plan: Plan | undefined = await ojt.plan(tenantId, junior.id);
      if (!plan) {
        const at = tokyoAt(createdOn, 15 * 60).toISOString();
        const goals = `${junior.unit}の基本業務を一年で一人で担えるようになる。困ったときは抱え込まずに早めに相談する。`;
        plan = {
          tenantId,
          juniorId: junior.id,
          mentorId: mentor.id,
          goals,
          steps: stepsOf(junior, createdOn),
          formId: formIdOf(junior.id, createdOn),
          createdOn,
          savedOn: createdOn,
          createdAt: at,
          updatedAt: at,
        };
        await ojt.savePlan(plan);
        count += 1;
      }
      const recorded = new Set((await ojt.progressOf(tenantId, junior.id)).map((p) => p.month));
      for (let month = plusMonths(monthOf(createdOn), 1); ; month = plusMonths(month, 1)) {
        const day = nthOfficeDay(`${month}-01`, 0);
        if (day > last) break;
        if (recorded.has(month)) continue;
        const r = randomFor('ojt-progress', junior.id, month);
        const at = tokyoAt(day, 9 * 60 + 30 + between(r, 0, 240)).toISOString();
        const doneSteps = doneBy(junior, plan.steps, month);
        const comment = chance(r, 0.7) ? pickOne(r, COMMENTS) : undefined;
        await ojt.saveProgress({ tenantId, juniorId: junior.id, month, mentorId: mentor.id, doneSteps, comment, recordedOn: day, updatedAt: at });
        plan = { ...plan, steps: markSteps(plan.steps, doneSteps, day), updatedAt: at };
        await ojt.savePlan(plan);
        count += 1;
      }
      return count;
    }),
  );
  return written.reduce((a, b) => a + b, 0);
}
