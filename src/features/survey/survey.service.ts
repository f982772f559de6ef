import { addDays, previousOfficeDay } from '../../calendar/office-calendar';
import type { Person } from '../../directory/org.schema';
import type { SurveyRepository } from './survey.repository';
import { groupKeys, summarise, type SurveyResults } from './survey.results';
import { surveyRoleGroupOf, type Survey } from './survey.schema';

/** Who is asked: every active person in one of the four role groups (町長・副町長 are not). */
export function eligible(person: Person): boolean {
  return person.active && surveyRoleGroupOf(person.role) !== undefined;
}

/** The tallies one answer adds to: the town, the person's 課 ("" without one) and their role group. */
export function tallyGroupsOf(person: Person): string[] {
  const group = surveyRoleGroupOf(person.role);
  return group ? [groupKeys.town, groupKeys.unit(person.unit ?? ''), groupKeys.role(group)] : [];
}

/** Closed once HR's close job ran, or once its close day is over even if the job has not run yet. */
export function isClosed(survey: Survey, today: string): boolean {
  return survey.state === 'closed' || today > survey.closeOn;
}

/** Closed surveys, oldest first (the repository lists them by close day). */
export function closedOf(surveys: readonly Survey[], today: string): Survey[] {
  return surveys.filter((s) => isClosed(s, today));
}

export async function resultsOf(surveys: SurveyRepository, survey: Survey): Promise<SurveyResults> {
  return summarise(survey, await surveys.tallies(survey.tenantId, survey.surveyId));
}

/** The longest a survey stays open: long enough for leave and shifts, short enough to be one moment's picture. */
export const MAX_OPEN_DAYS = 60;

/** A close day from today to MAX_OPEN_DAYS ahead. */
export function closeDayAllowed(closeOn: string, today: string): boolean {
  return closeOn >= today && closeOn <= addDays(today, MAX_OPEN_DAYS);
}

/** The office day before the close day gets the one reminder, if that is after the opening day. */
export function reminderDayOf(survey: Pick<Survey, 'openedOn' | 'closeOn'>): string | undefined {
  const day = previousOfficeDay(survey.closeOn);
  return day > survey.openedOn ? day : undefined;
}
