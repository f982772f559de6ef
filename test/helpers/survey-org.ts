import type { Person } from '../../src/directory/org.schema';
import { DEFAULT_QUESTIONS, itemsOf } from '../../src/features/survey/survey.questions';
import { fieldIds } from '../../src/features/survey/survey.schema';
import { personalMessage } from './activities';
import type { RecordedCall } from './connector-double';
import { conversationOf, loadTestOrg, teamsUserOf } from './people';
import type { TestApp } from './test-app';

/**
 * A small town for the survey: 住民課 (5, every role group), 建設課 (4), 農業委員会 (2), 総務課 with
 * HR (HR1), and the mayor, who is not surveyed. 14 people are asked.
 */
export const SURVEY_CSV = `職員番号,氏名,所属,グループ,役職,上司,AADオブジェクトID,人事
MAY,町長 一郎,,,町長,,00000000-0000-4000-8000-000000000101,
JM,住民 課長,住民課,,課長,MAY,00000000-0000-4000-8000-000000000102,
JS,住民 主査,住民課,窓口,主査,JM,00000000-0000-4000-8000-000000000103,
JL,住民 主任,住民課,窓口,主任,JS,00000000-0000-4000-8000-000000000104,
JT,住民 主事,住民課,窓口,主事,JL,00000000-0000-4000-8000-000000000105,
JA,住民 任用,住民課,窓口,会計年度任用職員,JS,00000000-0000-4000-8000-000000000106,
KM,建設 課長,建設課,,課長,MAY,00000000-0000-4000-8000-000000000107,
KC,建設 主幹,建設課,土木,主幹,KM,00000000-0000-4000-8000-000000000108,
KT1,建設 主事一,建設課,土木,主事,KC,00000000-0000-4000-8000-000000000109,
KT2,建設 主事二,建設課,土木,主事,KC,00000000-0000-4000-8000-000000000110,
NS,農業 主査,農業委員会,,主査,MAY,00000000-0000-4000-8000-000000000111,
NT,農業 主事,農業委員会,,主事,NS,00000000-0000-4000-8000-000000000112,
GM,総務 課長,総務課,,課長,MAY,00000000-0000-4000-8000-000000000113,
HR1,人事 主査,総務課,総務人事,主査,GM,00000000-0000-4000-8000-000000000114,○
GT,総務 主事,総務課,総務人事,主事,HR1,00000000-0000-4000-8000-000000000115,
`;

export const textOf = (call: RecordedCall): string => JSON.stringify(call.body);

/** A complete answer to the R7 questions: every item `score`, every agreement `agree`, and the free text if given. */
export function fullAnswer(surveyId: string, score: number, agree: 'yes' | 'no', text = ''): Record<string, string> {
  return {
    verb: 'survey.submit',
    surveyId,
    ...Object.fromEntries(itemsOf(DEFAULT_QUESTIONS).map((i) => [fieldIds.item(i.key), String(score)])),
    ...Object.fromEntries(DEFAULT_QUESTIONS.agreements.map((a) => [fieldIds.agreement(a.key), agree])),
    text,
  };
}

export interface SurveyOrg {
  people: Person[];
  by(id: string): Person;
  say(id: string, text: string): Promise<void>;
  submit(id: string, value: Record<string, unknown>, replyToId?: string): Promise<void>;
  /** Where the connector's record stands now: pass it to chat() for what came after. */
  mark(): number;
  /** Every message sent, replied or updated in this person's chat since `from` (a mark). */
  chat(id: string, from?: number): RecordedCall[];
}

export async function loadSurveyOrg(t: TestApp): Promise<SurveyOrg> {
  const { people, by, base, submit } = await loadTestOrg(t, SURVEY_CSV);
  return {
    people,
    by,
    say: async (id, text) => void (await t.post(personalMessage(teamsUserOf(by(id), base), text))),
    submit,
    mark: () => t.connector.calls.length,
    chat: (id, from = 0) =>
      t.connector.calls.slice(from).filter((c) => c.conversationId === conversationOf(by(id)) && ['send', 'reply', 'update'].includes(c.kind)),
  };
}

/** The survey id an answer card carries. */
export function surveyIdIn(call: RecordedCall | undefined): string {
  const id = /"surveyId":"(S\d{8}-[0-9a-f]{4})"/.exec(call ? textOf(call) : '')?.[1];
  if (!id) throw new Error('no survey card here');
  return id;
}
