import { fiscalPeriodOf } from '../calendar/office-calendar';
import type { CheckinRepository } from '../features/checkin/checkin.repository';
import type { KudosRepository } from '../features/kudos/kudos.repository';
import { isOwnMember } from '../features/kudos/kudos.service';
import type { NearMissRepository } from '../features/nearmiss/nearmiss.repository';
import type { OneOnOneRepository } from '../features/oneonone/oneonone.repository';
import type { PrivateTexts } from '../features/oneonone/private-texts.repository';
import type { CheckinPlan, KudosPlan } from './demo-history.plan';
import type { NearMissPlan } from './demo-history.nearmiss';
import type { MeetingPlan } from './demo-history.oneonone';

/**
 * Writes the demo history through the features' own repositories, the way their handlers do
 * (without sending anything): each write is keyed, so writing a record twice leaves one.
 */
export interface HistoryRepositories {
  checkins: CheckinRepository;
  kudos: KudosRepository;
  nearmisses: NearMissRepository;
  meetings: OneOnOneRepository;
  texts: PrivateTexts;
}

export async function writeCheckin(repos: HistoryRepositories, plan: CheckinPlan): Promise<void> {
  const { record } = plan;
  await repos.checkins.save(record);
  if (plan.helpTakenBy) await repos.checkins.takeHelp(record.tenantId, record.unit, record.day, record.personId, plan.helpTakenBy);
}

/** sendKudos's storage steps: each recipient's row, a プラス評価 for the sender's own people, then the send's mark. */
export async function writeKudos(repos: HistoryRepositories, tenantId: string, plan: KudosPlan): Promise<void> {
  const base = { day: plan.day, submitId: plan.submitId, value: plan.value, message: plan.message, createdAt: plan.at };
  for (const recipient of plan.recipients) {
    await repos.kudos.saveKudos(tenantId, { ...base, recipientId: recipient.id, senderId: plan.sender.id, public: plan.public, unit: recipient.unit });
    if (isOwnMember(plan.sender, recipient))
      await repos.kudos.savePlus(tenantId, { ...base, memberId: recipient.id, managerId: plan.sender.id, period: fiscalPeriodOf(plan.day).id });
  }
  await repos.kudos.markSent(
    tenantId,
    plan.sender.id,
    plan.day,
    plan.submitId,
    plan.recipients.map((r) => r.id),
    plan.value,
    plan.at,
  );
}

/**
 * As the report card files one: a form already filed is left alone, otherwise the fiscal year's next
 * number. Called one report at a time, so the numbers follow the days.
 */
export async function writeNearMiss(repos: HistoryRepositories, tenantId: string, plan: NearMissPlan): Promise<boolean> {
  if (await repos.nearmisses.filedAs(tenantId, plan.formId)) return false;
  const fiscalYear = fiscalPeriodOf(plan.report.day).fiscalYear;
  const id = await repos.nearmisses.numberForm(tenantId, plan.formId, fiscalYear);
  const seq = Number(id.split('-')[2]);
  await repos.nearmisses.create({ ...plan.report, tenantId, id, fiscalYear, seq });
  return true;
}

/**
 * A held 1on1 with what the pair wrote, each text by its own author; one already held (someone
 * recorded it in the Playground) is left as they left it. A booked one is written only if absent.
 */
export async function writeMeeting(repos: HistoryRepositories, tenantId: string, plan: MeetingPlan): Promise<boolean> {
  const { meeting } = plan;
  const ref = { managerId: meeting.managerId, memberId: meeting.memberId, meetingId: meeting.meetingId };
  const existing = await repos.meetings.get(tenantId, ref.managerId, ref.memberId, ref.meetingId);
  if (existing && (existing.status !== 'scheduled' || meeting.status === 'scheduled')) return false;
  await repos.meetings.save({ ...meeting, tenantId });
  if (meeting.status !== 'held') return true;
  if (plan.agenda) await repos.texts.write(tenantId, ref.memberId, ref, 'agenda', plan.agenda, new Date(meeting.createdAt));
  const record = plan.record;
  if (record)
    await repos.texts.update(
      tenantId,
      ref.managerId,
      ref,
      'record',
      (current) => ({ value: current ? undefined : record, result: undefined }),
      new Date(meeting.heldAt ?? meeting.updatedAt),
    );
  if (plan.comment) await repos.texts.write(tenantId, ref.memberId, ref, 'comment', plan.comment, new Date(meeting.confirmedAt ?? meeting.updatedAt));
  return true;
}
