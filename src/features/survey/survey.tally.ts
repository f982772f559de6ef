import type { Suppressible } from '../kpi/kpi.public';
import { itemsOf, SCALE_VALUES, type SurveyQuestions } from './survey.questions';
import type { Answer } from './survey.schema';

/**
 * What one group's answers add up to: how many answered, and per item how many gave each score
 * (per yes/no item how many said yes and no). Stored as one row per group; no answer is kept apart.
 */
export interface Tally {
  answers: number;
  counts: Record<string, number>;
}

export const tallyColumns = {
  score: (item: string, score: number) => `s_${item}_${score}`,
  agreement: (key: string, yes: boolean) => `a_${key}_${yes ? 'y' : 'n'}`,
};

export const emptyTally = (): Tally => ({ answers: 0, counts: {} });

export function addAnswer(tally: Tally, answer: Answer): Tally {
  const counts = { ...tally.counts };
  const bump = (column: string): void => {
    counts[column] = (counts[column] ?? 0) + 1;
  };
  for (const [item, score] of Object.entries(answer.scores)) bump(tallyColumns.score(item, score));
  for (const [key, yes] of Object.entries(answer.agreements)) bump(tallyColumns.agreement(key, yes));
  return { answers: tally.answers + 1, counts };
}

const meanOver = (tally: Tally, items: readonly string[]): Suppressible => {
  let sum = 0;
  let n = 0;
  for (const item of items) {
    for (const score of SCALE_VALUES) {
      const count = tally.counts[tallyColumns.score(item, score)] ?? 0;
      sum += score * count;
      n += count;
    }
  }
  return n === 0 ? null : sum / n;
};

/** A group's figures before suppression: mean score per category and item, share saying yes per agreement item. */
export interface RawFigures {
  answers: number;
  categories: Record<string, Suppressible>;
  items: Record<string, Suppressible>;
  agreement: Record<string, Suppressible>;
}

export function figuresOf(tally: Tally, questions: SurveyQuestions): RawFigures {
  const agreement: Record<string, Suppressible> = {};
  for (const a of questions.agreements) {
    const yes = tally.counts[tallyColumns.agreement(a.key, true)] ?? 0;
    const no = tally.counts[tallyColumns.agreement(a.key, false)] ?? 0;
    agreement[a.key] = yes + no === 0 ? null : yes / (yes + no);
  }
  return {
    answers: tally.answers,
    categories: Object.fromEntries(
      questions.categories.map((c) => [
        c.key,
        meanOver(
          tally,
          c.items.map((i) => i.key),
        ),
      ]),
    ),
    items: Object.fromEntries(itemsOf(questions).map((i) => [i.key, meanOver(tally, [i.key])])),
    agreement,
  };
}
