import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Notifier } from '../../delivery/notifier';
import type { Locale } from '../../i18n/i18n';
import type { Clock } from '../../shared/clock';
import type { OrgRepository } from '../../directory/org.repository';
import type { PersonLocale } from '../../preferences/locale-resolver';
import type { OneOnOneRepository } from './oneonone.repository';
import type { PrivateTexts } from './private-texts.repository';
import type { ReminderTimesRepository } from './reminder-times.repository';

/** A section another feature adds to a member's agenda and their manager's reminder, already in the reader's language. */
export interface AgendaSection {
  heading: string;
  facts: { label: string; value: string }[];
}

/** The member's OJT plan in short, passed in from app.ts so this feature never reads OJT's tables. */
export type OjtSummaryOf = (tenantId: string, memberId: string, locale: Locale) => Promise<AgendaSection | undefined>;

export interface OneOnOneDeps {
  meetings: OneOnOneRepository;
  texts: PrivateTexts;
  org: OrgRepository;
  notifier: Notifier;
  localeOf: PersonLocale;
  clock: Clock;
  reminderTimes: ReminderTimesRepository;
  ojtSummaryOf?: OjtSummaryOf;
}

/** Sortable by booking time, unguessable enough that ids are not handed out in sequence. */
export function newMeetingId(now: Date): string {
  return `m${DateTime.fromJSDate(now).setZone('Asia/Tokyo').toFormat('yyyyLLddHHmmss')}-${randomBytes(3).toString('hex')}`;
}

/** Outbox keys: a re-submitted card or a re-run job never sends the same notice twice. */
export const oneononeKeys = {
  booked: (meetingId: string, day: string, time: string) => `oneonone.booked|${meetingId}|${day}T${time}`,
  cancelled: (meetingId: string) => `oneonone.cancelled|${meetingId}`,
  agendaPrompt: (meetingId: string, day: string) => `oneonone.agenda|${meetingId}|${day}`,
  dayBefore: (meetingId: string, day: string, time: string) => `oneonone.daybefore|${meetingId}|${day}T${time}`,
  soon: (meetingId: string, day: string, time: string) => `oneonone.soon|${meetingId}|${day}T${time}`,
  recordPrompt: (meetingId: string) => `oneonone.recordprompt|${meetingId}`,
  record: (meetingId: string) => `oneonone.record|${meetingId}`,
  confirmed: (meetingId: string) => `oneonone.confirmed|${meetingId}`,
  digest: (personId: string) => `oneonone.digest|${personId}`,
};
