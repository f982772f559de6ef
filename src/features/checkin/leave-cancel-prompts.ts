import { toPerson, type Notification, type Notifier } from '../../delivery/notifier';
import type { Person } from '../../directory/org.schema';
import type { MessageKey } from '../../i18n/i18n';
import type { PersonLocale } from '../../preferences/locale-resolver';
import type { Clock } from '../../shared/clock';
import { isStorageUnreachable } from '../../shared/storage-outage';
import type { CheckinRepository } from './checkin.repository';
import { checksIn } from './checkin.service';
import { checkinKeys, checkinPrompt, type CheckinScheduleDeps } from './checkin.schedule';
import type { Slot } from './checkin.schema';
import { promptsOwedOnCancel, type LeaveEntry } from './leave';
import type { UnitScheduleRepository } from './unit-schedule.repository';

export interface LeaveCancelPromptsDeps {
  checkins: CheckinRepository;
  schedules: UnitScheduleRepository;
  notifier: Notifier;
  localeOf: PersonLocale;
  clock: Clock;
  overdueActionsOf: CheckinScheduleDeps['overdueActionsOf'];
}

/**
 * Sends the check-in prompts that a 休み taken back today leaves owed (see promptsOwedOnCancel), as
 * the scheduled prompt would have: the same card, in the person's language, under the scheduled
 * prompt's own outbox key for the day. So a prompt already sent, a second cancel or the scheduler
 * catching up adds nothing; and a slot already answered gets none.
 */
export class LeaveCancelPrompts {
  constructor(private readonly deps: LeaveCancelPromptsDeps) {}

  /**
   * The slots whose prompt is now in the outbox. None when storage cannot be reached: the leave is
   * already taken back, and the reply then tells the person to ask for the card themselves.
   */
  async send(tenantId: string, person: Person, cancelled: LeaveEntry): Promise<Slot[]> {
    try {
      return await this.sendOwed(tenantId, person, cancelled);
    } catch (error) {
      if (isStorageUnreachable(error)) return [];
      throw error;
    }
  }

  private async sendOwed(tenantId: string, person: Person, cancelled: LeaveEntry): Promise<Slot[]> {
    if (!checksIn(person)) return [];
    const { day } = cancelled;
    const owed = promptsOwedOnCancel(cancelled, this.deps.clock.now(), await this.deps.schedules.get(tenantId, person.unit));
    const answered = await Promise.all(owed.map((slot) => this.deps.checkins.get(tenantId, person.unit, day, slot, person.id)));
    const slots = owed.filter((_, i) => !answered[i]);
    if (slots.length === 0) return [];
    const [locale, overdue] = await Promise.all([
      this.deps.localeOf(tenantId, person.id),
      slots.includes('morning') ? this.deps.overdueActionsOf(tenantId, person.id, day) : Promise.resolve([]),
    ]);
    const items = slots.map((slot): Notification => ({
      key: checkinKeys.prompt(slot, person.id),
      to: toPerson(person.id),
      message: checkinPrompt(slot, day, locale, slot === 'morning' ? overdue : []),
    }));
    await this.deps.notifier.send(tenantId, day, items);
    return slots;
  }
}

/** The answer to a 休み taken back: it names the card sent now, or says the day's prompts come as usual. */
export function cancelledReplyKey(prompted: readonly Slot[]): MessageKey {
  if (prompted.length === 2) return 'leave.cancel.prompted.both';
  if (prompted[0]) return `leave.cancel.prompted.${prompted[0]}`;
  return 'leave.cancel.cancelled';
}
