import type { OrgRepository } from '../../directory/org.repository';
import type { OneOnOneRepository } from './oneonone.repository';
import type { Meeting, MeetingRef, RecordBody } from './oneonone.schema';
import { actionKeyOf } from './oneonone.service';
import type { IndexedAction, IndexedMeeting, OpenActionsIndex } from './open-actions.repository';
import type { PrivateTexts } from './private-texts.repository';

export interface OpenActionsDeps {
  index: OpenActionsIndex;
  meetings: OneOnOneRepository;
  texts: PrivateTexts;
  org: OrgRepository;
}

/** The owner's side of a pair. */
export function roleIn(ref: Pick<MeetingRef, 'managerId' | 'memberId'>, ownerId: string): 'manager' | 'member' {
  return ref.managerId === ownerId ? 'manager' : 'member';
}

/** What can fall past due: the role's actions with a due day and no 完了. */
export function openDatedActions(record: RecordBody | undefined, role: 'manager' | 'member'): IndexedAction[] {
  return (record?.actions ?? []).flatMap((a) => (a.owner === role && a.due && !a.doneAt ? [{ key: actionKeyOf(a), due: a.due }] : []));
}

/** The pair's entry replaced by this meeting's (a later 1on1 agrees afresh); none when nothing of it is open. */
export function withMeeting(meetings: readonly IndexedMeeting[], ref: MeetingRef, actions: readonly IndexedAction[]): IndexedMeeting[] {
  const others = meetings.filter((m) => m.managerId !== ref.managerId || m.memberId !== ref.memberId);
  const { managerId, memberId, meetingId } = ref;
  return actions.length > 0 ? [...others, { managerId, memberId, meetingId, actions: [...actions] }] : others;
}

export function withoutAction(meetings: readonly IndexedMeeting[], meetingId: string, key: string): IndexedMeeting[] {
  return meetings.flatMap((m) => {
    if (m.meetingId !== meetingId) return [m];
    const actions = m.actions.filter((a) => a.key !== key);
    return actions.length > 0 ? [{ ...m, actions }] : [];
  });
}

/** The last held 1on1 of each pair among `meetings`. */
function lastHeldByPair(meetings: readonly Meeting[]): Meeting[] {
  const last = new Map<string, Meeting>();
  for (const m of meetings) {
    if (m.status !== 'held') continue;
    const key = `${m.managerId}|${m.memberId}`;
    const seen = last.get(key);
    if (!seen || `${seen.day}T${seen.time}` < `${m.day}T${m.time}`) last.set(key, m);
  }
  return [...last.values()];
}

/**
 * The index of open 1on1 actions per owner (oneononeopenactions), kept in step by the record handlers:
 * a saved record sets the pair's entry in both owners' rows, 完了 takes the action out. A person's row
 * is built from the meetings the first time it is needed, so 1on1s recorded before the index count.
 */
export class OpenActions {
  constructor(private readonly deps: OpenActionsDeps) {}

  /** The owner's open dated actions, by meeting: one point read once their row is built. */
  async of(tenantId: string, ownerId: string): Promise<IndexedMeeting[]> {
    const indexed = await this.deps.index.get(tenantId, ownerId);
    if (indexed) return indexed;
    const built = await this.build(tenantId, ownerId);
    await this.deps.index.createIfAbsent(tenantId, ownerId, built);
    return built;
  }

  /**
   * After a record is saved: its pair's entry in both owners' rows, read back from storage as the
   * manager, if it is the pair's last held 1on1 (a record of an earlier one changes nothing listed).
   */
  async recordSaved(tenantId: string, ref: MeetingRef): Promise<void> {
    const last = lastHeldByPair(await this.deps.meetings.listForPair(tenantId, ref.managerId, ref.memberId))[0];
    if (last?.meetingId !== ref.meetingId) return;
    const { record } = await this.deps.texts.read(tenantId, ref.managerId, ref);
    for (const ownerId of [ref.managerId, ref.memberId]) {
      const actions = openDatedActions(record, roleIn(ref, ownerId));
      await this.deps.index.change(
        tenantId,
        ownerId,
        (meetings) => withMeeting(meetings, ref, actions),
        () => this.build(tenantId, ownerId),
      );
    }
  }

  /** After 完了: the action leaves whichever of the pair's rows lists it. A row not built yet will be built without it. */
  async actionDone(tenantId: string, ref: MeetingRef, key: string): Promise<void> {
    for (const ownerId of [ref.managerId, ref.memberId]) {
      await this.deps.index.change(tenantId, ownerId, (meetings) => withoutAction(meetings, ref.meetingId, key));
    }
  }

  /**
   * The owner's row from the meetings, as the check-in read them before the index: the last held
   * 1on1 with their manager and with each of their reports, the texts read as the owner.
   */
  private async build(tenantId: string, ownerId: string): Promise<IndexedMeeting[]> {
    const { meetings, texts, org } = this.deps;
    const [person, reports] = await Promise.all([org.getPerson(tenantId, ownerId), org.reportsOf(tenantId, ownerId)]);
    const reportIds = new Set(reports.map((p) => p.id));
    const [asManager, asMember] = await Promise.all([
      reportIds.size > 0 ? meetings.listForManager(tenantId, ownerId).then((all) => all.filter((m) => reportIds.has(m.memberId))) : Promise.resolve([]),
      person?.managerId ? meetings.listForPair(tenantId, person.managerId, ownerId) : Promise.resolve([]),
    ]);
    const read = await Promise.all(
      lastHeldByPair([...asManager, ...asMember]).map(async ({ managerId, memberId, meetingId }) => {
        const ref = { managerId, memberId, meetingId };
        return { ref, record: (await texts.read(tenantId, ownerId, ref)).record };
      }),
    );
    return read.flatMap(({ ref, record }) => withMeeting([], ref, openDatedActions(record, roleIn(ref, ownerId))));
  }
}
