import type { OrgRepository } from '../org/org.repository';
import type { OneOnOneRepository } from './oneonone.repository';
import type { Meeting } from './oneonone.schema';
import { actionKeyOf } from './oneonone.service';
import type { PrivateTexts } from './private-texts.repository';

/** An agreed action its owner has let pass its due date: only what the owner needs to act on it. */
export interface OverdueAction {
  text: string;
  due: string;
  /** The submit data of its 完了 button, opaque to the card that shows it. */
  markDone: Record<string, string>;
}

/**
 * For the check-in feature, which never reads 1on1 tables itself: the actions a person owns, from
 * the last held 1on1 of each of their current pairs (with their manager, with each of their reports;
 * a later 1on1 agrees afresh), due before `day` and not marked done. Someone with no reports, most
 * staff, costs one read. The texts are read as that person, so PrivateTexts' pair rule still holds.
 */
export function overdueActionsOf(deps: { meetings: OneOnOneRepository; texts: PrivateTexts; org: OrgRepository }) {
  return async (tenantId: string, personId: string, day: string): Promise<OverdueAction[]> => {
    const [person, reports] = await Promise.all([deps.org.getPerson(tenantId, personId), deps.org.reportsOf(tenantId, personId)]);
    const reportIds = new Set(reports.map((p) => p.id));
    const [asManager, asMember] = await Promise.all([
      reportIds.size > 0 ? deps.meetings.listForManager(tenantId, personId).then((all) => all.filter((m) => reportIds.has(m.memberId))) : Promise.resolve([]),
      person?.managerId ? deps.meetings.listForPair(tenantId, person.managerId, personId) : Promise.resolve([]),
    ]);
    const lastByPair = new Map<string, Meeting>();
    for (const m of [...asManager, ...asMember]) {
      if (m.status !== 'held') continue;
      const key = `${m.managerId}|${m.memberId}`;
      const seen = lastByPair.get(key);
      if (!seen || `${seen.day}T${seen.time}` < `${m.day}T${m.time}`) lastByPair.set(key, m);
    }
    const out: OverdueAction[] = [];
    const read = await Promise.all([...lastByPair.values()].map(async (meeting) => ({ meeting, texts: await deps.texts.read(tenantId, personId, meeting) })));
    for (const { meeting, texts } of read) {
      const { record } = texts;
      const role = meeting.managerId === personId ? 'manager' : 'member';
      for (const action of record?.actions ?? []) {
        if (action.owner !== role || !action.due || action.due >= day || action.doneAt) continue;
        const { managerId, memberId, meetingId } = meeting;
        out.push({
          text: action.text,
          due: action.due,
          markDone: { verb: 'oneonone.action.done', managerId, memberId, meetingId, action: actionKeyOf(action) },
        });
      }
    }
    return out.sort((a, b) => a.due.localeCompare(b.due));
  };
}
