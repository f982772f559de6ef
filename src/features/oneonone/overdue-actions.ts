import type { OrgRepository } from '../../directory/org.repository';
import { actionKeyOf } from './oneonone.service';
import { roleIn, type OpenActions } from './open-actions';
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
 * a later 1on1 agrees afresh), due before `day` and not marked done. The person's row of the open
 * actions index says which 1on1s have one (one point read; most mornings that is all); only those
 * texts are read, as that person, so PrivateTexts' pair rule still holds and the record has the last word.
 */
export function overdueActionsOf(deps: { openActions: OpenActions; texts: PrivateTexts; org: OrgRepository }) {
  return async (tenantId: string, personId: string, day: string): Promise<OverdueAction[]> => {
    const indexed = await deps.openActions.of(tenantId, personId);
    // Most rows list nothing: the directory is not walked for their reports then.
    if (indexed.length === 0) return [];
    const [person, reports] = await Promise.all([deps.org.getPerson(tenantId, personId), deps.org.reportsOf(tenantId, personId)]);
    const reportIds = new Set(reports.map((p) => p.id));
    const isCurrentPair = (m: { managerId: string; memberId: string }): boolean =>
      m.managerId === personId ? reportIds.has(m.memberId) : m.memberId === personId && m.managerId === person?.managerId;
    const due = indexed.filter((m) => isCurrentPair(m) && m.actions.some((a) => a.due < day));
    const read = await Promise.all(due.map(async (meeting) => ({ meeting, texts: await deps.texts.read(tenantId, personId, meeting) })));
    const out: OverdueAction[] = [];
    for (const { meeting, texts } of read) {
      const role = roleIn(meeting, personId);
      for (const action of texts.record?.actions ?? []) {
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
