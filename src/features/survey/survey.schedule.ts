import { toPerson, type Notification, type Notifier } from '../../delivery/notifier';
import { translator } from '../../i18n/i18n';
import type { DailyJobSource, DailyOccurrence } from '../../scheduler/daily-job';
import type { Clock } from '../../shared/clock';
import type { OrgRepository } from '../../directory/org.repository';
import type { PeopleLocales } from '../../preferences/locale-resolver';
import type { SurveyRepository } from './survey.repository';
import type { Survey } from './survey.schema';
import { closedOf, eligible, reminderDayOf } from './survey.service';
import { resultsMessage, surveyFanOut, surveyKeys } from './survey.views';

export const SURVEY_REMINDER_AT = '09:00';
/** Results reach HR at the start of the first office day after the close day. */
export const SURVEY_CLOSE_AT = '08:30';

export interface SurveyScheduleDeps {
  surveys: SurveyRepository;
  org: OrgRepository;
  notifier: Notifier;
  localesOf: PeopleLocales;
  clock: Clock;
}

/** The open survey's one reminder (office day before the close day) and its close (first office day after). */
export class SurveySchedule implements DailyJobSource {
  constructor(private readonly deps: SurveyScheduleDeps) {}

  async occurrences(tenantId: string, day: string): Promise<DailyOccurrence[]> {
    const survey = await this.deps.surveys.current(tenantId);
    if (!survey) return [];
    const out: DailyOccurrence[] = [];
    if (day === reminderDayOf(survey))
      out.push({ id: `survey.reminder|${survey.surveyId}`, from: SURVEY_REMINDER_AT, until: '23:59', run: () => this.remind(survey, day) });
    if (day > survey.closeOn) out.push({ id: `survey.close|${survey.surveyId}`, from: SURVEY_CLOSE_AT, until: '23:59', run: () => this.close(survey, day) });
    return out;
  }

  private async remind(survey: Survey, day: string): Promise<void> {
    const [people, answered] = await Promise.all([this.deps.org.listPeople(survey.tenantId), this.deps.surveys.answeredIds(survey.tenantId, survey.surveyId)]);
    await surveyFanOut(
      this.deps,
      survey,
      people.filter((p) => eligible(p) && !answered.has(p.id)),
      day,
      'reminder',
    );
  }

  /** The results go to HR before the survey is marked closed: a close cut short is run again, and the outbox keys keep it to one card each. */
  private async close(survey: Survey, day: string): Promise<void> {
    const hr = (await this.deps.org.listPeople(survey.tenantId)).filter((p) => p.active && p.hr);
    const closed = closedOf(await this.deps.surveys.list(survey.tenantId), day);
    const localeOf = await this.deps.localesOf(
      survey.tenantId,
      hr.map((p) => p.id),
    );
    const items: Notification[] = [];
    for (const person of hr) {
      const locale = localeOf(person.id);
      const message = await resultsMessage(this.deps, survey, closed, { t: translator(locale), locale });
      items.push({ key: surveyKeys.results(survey.surveyId, person.id), to: toPerson(person.id), message, locale });
    }
    await this.deps.notifier.send(survey.tenantId, day, items);
    await this.deps.surveys.close(survey);
  }
}
