import { fiscalPeriodOf, nextOfficeDay } from '../calendar/office-calendar';
import { DEFAULT_QUESTIONS, itemsOf, type SurveyQuestions } from '../features/survey/survey.questions';
import type { SurveyRepository } from '../features/survey/survey.public';
import type { Answer, Survey } from '../features/survey/survey.schema';
import { eligible, tallyGroupsOf } from '../features/survey/survey.service';
import { chance, clamp, gaussian, hexOf, pickOne, randomFor } from './demo-random';
import { halvesOf, nthOfficeDay, traitsOf, type DaysLoad, type Member } from './demo-history.plan';

/**
 * The demo town's staff engagement survey: HR opens one early in each fiscal half, most staff answer
 * within two weeks, and it closes, so アンケート 結果 and the report's engagement part compare it with
 * the R7 baseline. Answers go through the survey's own repository, as the answer card's do: each
 * person counted once, tied to no one, small groups suppressed when the results are read.
 */

/** Opened on the half's third office day, answers taken for ten office days. */
const OPEN_INDEX = 2;
const OPEN_OFFICE_DAYS = 10;
/** Share of the staff asked who answer. */
const ANSWER_RATE = 0.85;

/**
 * Mean score (1–4) of each category: a little above the 2025 baseline (feedback 2.2, workload 2.3,
 * psychological safety 2.6), as a town a year into the practice might be.
 */
const CATEGORY_MEANS: Readonly<Record<string, number>> = { vision: 2.8, workload: 2.4, boss: 2.9, feedback: 2.5, growth: 2.7, dx: 2.4, safety: 2.8 };
/** Chance of answering yes to each agreement item (評価に納得 was 38% in the baseline). */
const AGREEMENT_RATES: Readonly<Record<string, number>> = { overwork: 0.45, listens: 0.68, fairEval: 0.46, dxEffect: 0.4 };

const COMMENTS = [
  '朝会で困りごとを出しやすくなりました。続けてほしいです。',
  '1on1で期待されていることが分かり、仕事の優先順位をつけやすくなりました。',
  '繁忙期の業務が特定の職員に偏っているので、課をまたいだ応援の仕組みがほしいです。',
  '研修の時間を業務時間内に確保してもらえると助かります。',
  '紙の決裁が多く、電子決裁をもっと進めてほしいです。',
  'ありがとうカードをもらえると励みになります。',
  '評価の基準をもう少し具体的に示してほしいです。',
  '窓口の混雑時に声をかけ合えるようになり、以前より働きやすくなりました。',
  'システムの操作で困ったときの相談先を明確にしてほしいです。',
  'ヒヤリハットを報告しても責められない雰囲気になってきたと感じます。',
  '会計年度任用職員も研修に参加できる機会を増やしてほしいです。',
  '定時退庁日を守れるよう、会議の時間を見直してほしいです。',
];

interface SurveyPlan {
  survey: Survey;
  /** The first office day after the close day: HR's results go out then, and the demo writes the survey when it loads that day. */
  closedBy: string;
}

function surveyOfHalf(tenantId: string, halfStart: string): SurveyPlan {
  const openedOn = nthOfficeDay(halfStart, OPEN_INDEX);
  const closeOn = nthOfficeDay(openedOn, OPEN_OFFICE_DAYS);
  const tail = hexOf(randomFor('survey-id', fiscalPeriodOf(halfStart).id), 4);
  return {
    survey: { tenantId, surveyId: `S${openedOn.replaceAll('-', '')}-${tail}`, questions: DEFAULT_QUESTIONS, openedOn, closeOn, state: 'open' },
    closedBy: nextOfficeDay(closeOn),
  };
}

/** One person's answer: their general mood moves every category a little, each item scatters around it. */
function answerOf(person: Member, surveyId: string, questions: SurveyQuestions): Answer | undefined {
  const r = randomFor('survey-answer', surveyId, person.id);
  if (!eligible(person) || !chance(r, ANSWER_RATE)) return undefined;
  const mood = (traitsOf(person).satisfaction - 3.5) * 0.4 + gaussian(r) * 0.25;
  const scores: Record<string, number> = {};
  for (const item of itemsOf(questions)) scores[item.key] = Math.round(clamp((CATEGORY_MEANS[item.category] ?? 2.6) + mood + gaussian(r) * 0.6, 1, 4));
  const agreements: Record<string, boolean> = {};
  for (const a of questions.agreements) agreements[a.key] = chance(r, clamp((AGREEMENT_RATES[a.key] ?? 0.5) + mood * 0.3, 0.05, 0.95));
  return { scores, agreements, text: questions.freeText && chance(r, 0.3) ? pickOne(r, COMMENTS) : undefined };
}

/**
 * The survey of each half whose results day is loaded now: opened (unless already there), each
 * answer recorded once (one at a time: every answer rewrites the same tallies), then closed. A
 * survey someone opened in the Playground holds the one open slot: the demo's is then left out.
 * Returns how many answers were recorded now.
 */
export async function writeSurveyHistory(surveys: SurveyRepository, load: DaysLoad): Promise<number> {
  const loading = new Set(load.days);
  let recorded = 0;
  for (const half of halvesOf(load.days)) {
    const { survey, closedBy } = surveyOfHalf(load.tenantId, half);
    if (!loading.has(closedBy)) continue;
    const stored = await surveys.get(load.tenantId, survey.surveyId);
    if (stored?.state === 'closed') continue;
    if (!stored && !(await surveys.open(survey))) continue;
    for (const person of load.members) {
      const answer = answerOf(person, survey.surveyId, survey.questions);
      if (!answer) continue;
      if ((await surveys.record(load.tenantId, survey.surveyId, person.id, tallyGroupsOf(person), answer)) === 'stored') recorded += 1;
    }
    await surveys.close(survey);
  }
  return recorded;
}
