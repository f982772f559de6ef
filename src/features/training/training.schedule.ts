import { toPerson, type Notification, type Notifier } from '../../delivery/notifier';
import { translator } from '../../i18n/i18n';
import type { DailyJobSource, DailyOccurrence } from '../../scheduler/daily-job';
import type { OrgRepository } from '../../directory/org.repository';
import type { PeopleLocales } from '../../preferences/locale-resolver';
import { renderAttendanceForm, renderNotice, type NoticeKind } from './training.cards';
import type { TrainingRepository } from './training.repository';
import type { Training } from './training.schema';
import { attendanceDay, invitees, reminderDay } from './training.service';

/** Invitations go out in office hours: a training HR registers in the evening is announced the next office morning. */
export const TRAINING_INVITE_HOURS = { from: '08:30', until: '19:00' } as const;
/** The reminder and the attendance card, each on its own office day. */
export const TRAINING_NOTICE_AT = '09:00';

export interface TrainingScheduleDeps {
  trainings: TrainingRepository;
  org: Pick<OrgRepository, 'listPeople'>;
  notifier: Notifier;
  localesOf: PeopleLocales;
  /** TRAINING_REMINDER_DAYS_BEFORE: how many office days before the first day the reminder goes out. */
  reminderOfficeDaysBefore: number;
}

export const trainingKeys = {
  invite: (id: string, revision: number, personId: string) => `training.invite|${id}|r${revision}|${personId}`,
  remind: (id: string, personId: string) => `training.remind|${id}|${personId}`,
  attendance: (id: string, personId: string) => `training.attendance|${id}|${personId}`,
};

/**
 * The required trainings' sends, to everyone a training is for: the invitation once HR registered it
 * (again, marked as changed, for each later revision), a reminder some office days before, and on the
 * first office day after it the attendance card, except to those HR already recorded. Each is a
 * job-run claimed occurrence, and each send is keyed in the outbox, so two instances send once.
 */
export class TrainingSchedule implements DailyJobSource {
  private readonly dayTrainings: DayTrainings;

  constructor(private readonly deps: TrainingScheduleDeps) {
    this.dayTrainings = new DayTrainings(deps.trainings);
  }

  async occurrences(tenantId: string, day: string): Promise<DailyOccurrence[]> {
    const trainings = await this.dayTrainings.of(tenantId, day);
    const out: DailyOccurrence[] = [];
    for (const training of trainings) {
      if (training.invitedRevision < training.revision && training.endDay >= day) {
        out.push({ id: `training.invite|${training.id}|r${training.revision}`, ...TRAINING_INVITE_HOURS, run: () => this.invite(tenantId, day, training) });
      }
      if (reminderDay(training.startDay, this.deps.reminderOfficeDaysBefore) === day) {
        out.push({ id: `training.remind|${training.id}`, from: TRAINING_NOTICE_AT, until: '23:59', run: () => this.notify(tenantId, day, training, 'remind') });
      }
      if (attendanceDay(training.endDay) === day) {
        out.push({
          id: `training.attendance|${training.id}`,
          from: TRAINING_NOTICE_AT,
          until: '23:59',
          run: () => this.askAttendance(tenantId, day, training),
        });
      }
    }
    return out;
  }

  private async invite(tenantId: string, day: string, training: Training): Promise<void> {
    await this.notify(tenantId, day, training, training.invitedRevision === 0 ? 'invite' : 'changed');
    await this.deps.trainings.markInvited(tenantId, training.id, training.revision);
  }

  private async notify(tenantId: string, day: string, training: Training, kind: NoticeKind): Promise<void> {
    const people = invitees(training, await this.deps.org.listPeople(tenantId));
    const localeOf = await this.deps.localesOf(
      tenantId,
      people.map((p) => p.id),
    );
    const items: Notification[] = people.map((p) => ({
      key: kind === 'remind' ? trainingKeys.remind(training.id, p.id) : trainingKeys.invite(training.id, training.revision, p.id),
      to: toPerson(p.id),
      message: { card: renderNotice(kind, training, translator(localeOf(p.id)), localeOf(p.id)) },
      locale: localeOf(p.id),
    }));
    await this.deps.notifier.send(tenantId, day, items);
  }

  private async askAttendance(tenantId: string, day: string, training: Training): Promise<void> {
    const recorded = new Set((await this.deps.trainings.listAttendanceOf(tenantId, training.id)).filter((a) => a.hr).map((a) => a.personId));
    const people = invitees(training, await this.deps.org.listPeople(tenantId)).filter((p) => !recorded.has(p.id));
    const localeOf = await this.deps.localesOf(
      tenantId,
      people.map((p) => p.id),
    );
    const items: Notification[] = people.map((p) => {
      const t = translator(localeOf(p.id));
      return {
        key: trainingKeys.attendance(training.id, p.id),
        to: toPerson(p.id),
        message: { card: renderAttendanceForm(training, t, localeOf(p.id)), summary: t('training.attendance.title') },
        locale: localeOf(p.id),
      };
    });
    await this.deps.notifier.send(tenantId, day, items);
  }
}

/**
 * The required trainings a day's sends can come from, per tenant, read once a day: the scheduler asks
 * every minute, and a tick then reads only the trainings' change mark. A training HR imports or
 * registers (from any process) changes the mark, so the next tick reads them again.
 */
class DayTrainings {
  private readonly kept = new Map<string, { day: string; mark: string | undefined; trainings: Training[] }>();

  constructor(private readonly trainings: Pick<TrainingRepository, 'changeMark' | 'list'>) {}

  async of(tenantId: string, day: string): Promise<Training[]> {
    // The mark is read before the trainings: a save after this read changes it again, so nothing is missed.
    const mark = await this.trainings.changeMark(tenantId);
    const kept = this.kept.get(tenantId);
    if (kept?.day === day && kept.mark === mark) return kept.trainings;
    const trainings = (await this.trainings.list(tenantId)).filter((t) => t.required && attendanceDay(t.endDay) >= day);
    this.kept.set(tenantId, { day, mark, trainings });
    return trainings;
  }
}
