import type { TableClient } from '@azure/data-tables';
import { ONEONONE_TABLES } from '../../src/features/oneonone/oneonone.repository';
import type { RecordBody } from '../../src/features/oneonone/oneonone.schema';
import { actionKeyOf, carryDone, markActionDone } from '../../src/features/oneonone/oneonone.service';
import { PrivateTexts } from '../../src/features/oneonone/private-texts.repository';
import { fixedClock } from '../../src/shared/clock';
import type { TableClientFactory } from '../../src/storage/table-client-factory';
import { cardProblems } from '../helpers/card-validation';
import { inputsOf, lastCard, loadOneOnOneOrg, submitsOf, type OneOnOneOrg } from '../helpers/oneonone-org';
import { startTestApp, type TestApp } from '../helpers/test-app';

const jst = (iso: string): Date => new Date(`${iso}+09:00`);

describe('a 1on1 record keeps to the calendar and survives the pair writing at once (through /api/messages)', () => {
  // The 1on1 of 課長 M and 主幹 C is on Tuesday 2026-11-24 at 14:00; the record is written after it began.
  const clock = fixedClock(jst('2026-11-20T10:00:00'));
  let t: TestApp;
  let org: OneOnOneOrg;
  let meetingId = '';
  const ref = () => ({ managerId: 'M', memberId: 'C', meetingId });

  const record = () => ({
    verb: 'oneonone.record.save',
    managerId: 'M',
    memberId: 'C',
    meetingId,
    good: '点検計画を前倒しで進めた',
    action1Text: '確認申請の手順書を作る',
    action1Owner: 'member',
    action1Due: '2027-02-26',
    action2Text: '研修の予算を確保する',
    action2Owner: 'manager',
    action2Due: '2027-03-05',
  });

  async function storedRecord(): Promise<RecordBody | undefined> {
    const filter = `PartitionKey eq '${t.tenantId}|M|C' and RowKey eq '${meetingId}|record'`;
    for await (const e of t.app.tables.table(ONEONONE_TABLES.texts).listEntities<{ body: string }>({ queryOptions: { filter } }))
      return JSON.parse(e.body) as RecordBody;
    return undefined;
  }

  /** The answer to a submit of the record card: the card updated in place. */
  const updatedCard = (activityId: string): unknown =>
    (t.connector.calls.filter((c) => c.kind === 'update' && c.activityId === activityId).at(-1)?.body.attachments as { content: unknown }[] | undefined)?.[0]
      ?.content;

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    org = await loadOneOnOneOrg(t);
    await org.submit('M', { verb: 'oneonone.schedule.save', memberId: 'C', date: '2026-11-24', time: '14:00', length: '30' });
    const filter = `PartitionKey eq '${t.tenantId}|M'`;
    for await (const e of t.app.tables.table(ONEONONE_TABLES.meetings).listEntities<{ meetingId: string }>({ queryOptions: { filter } }))
      meetingId = e.meetingId;
    clock.set(jst('2026-11-24T14:40:00'));
  });
  afterAll(() => t.stop());
  beforeEach(() => t.connector.reset());

  it('a due date that is not a real day (2027-02-30) is refused: the card comes back naming the row, every typed value kept, nothing stored', async () => {
    await org.submit('M', { ...record(), action2Due: '2027-02-30' }, 'record-card');
    const card = updatedCard('record-card');
    const text = JSON.stringify(card);
    expect(text).toContain('アクション 2の期限: その日付はカレンダーにありません');
    expect(text).not.toContain('アクション 1の期限');
    expect(inputsOf(card)).toMatchObject({
      good: '点検計画を前倒しで進めた',
      action1Text: '確認申請の手順書を作る',
      action1Due: '2027-02-26',
      action2Text: '研修の予算を確保する',
      action2Owner: 'manager',
      action2Due: '2027-02-30',
    });
    expect(cardProblems(card as object)).toEqual([]);
    expect(await storedRecord()).toBeUndefined();
    expect(org.chat('C').join('\n')).not.toContain('研修の予算');
  });

  it('in English the same mistake is named in English', async () => {
    await org.say('M', 'language English');
    try {
      t.connector.reset();
      await org.submit('M', { ...record(), action1Due: '2027-02-29' }, 'record-card-en');
      const card = updatedCard('record-card-en');
      expect(JSON.stringify(card)).toContain('Action 1, Due: That date is not on the calendar');
      expect(inputsOf(card)).toMatchObject({ action1Due: '2027-02-29', action1Text: '確認申請の手順書を作る' });
      expect(await storedRecord()).toBeUndefined();
    } finally {
      await org.say('M', '言語 日本語');
    }
  });

  it('the last day of February (2027-02-28) is accepted and stored', async () => {
    await org.submit('M', { ...record(), action2Due: '2027-02-28' }, 'record-card');
    expect(org.chat('M').join('\n')).toContain('記録を保存しました');
    expect((await storedRecord())?.actions.map((a) => a.due)).toEqual(['2027-02-26', '2027-02-28']);
  });

  it('the member presses 完了 while the manager saves the record again: the done flag and the new text both stay', async () => {
    await org.submit('C', { verb: 'oneonone.open', managerId: 'M', memberId: 'C', meetingId });
    const done = submitsOf(lastCard(t, org.by('C'))).find((d) => d.verb === 'oneonone.action.done');
    expect(done).toEqual(expect.objectContaining({ managerId: 'M', memberId: 'C', meetingId }));
    clock.set(jst('2026-11-24T15:00:00'));
    await Promise.all([org.submit('C', done!), org.submit('M', { ...record(), action2Due: '2027-02-28', good: '手順書の骨子ができた' }, 'record-card')]);
    const after = await storedRecord();
    expect(after?.good).toBe('手順書の骨子ができた');
    expect(after?.actions[0]).toMatchObject({ text: '確認申請の手順書を作る', doneBy: 'C', doneAt: jst('2026-11-24T15:00:00').toISOString() });
  });

  describe('when the other writer lands between the read and the write (the race forced)', () => {
    /** The texts table, with a chance to run another writer just before this one's next conditional write. */
    function racingTexts(): { texts: PrivateTexts; before: (write: () => Promise<unknown>) => void; writes: () => number } {
      const table = t.app.tables.table(ONEONONE_TABLES.texts);
      let pending: (() => Promise<unknown>) | undefined;
      let writes = 0;
      const racing = new Proxy(table, {
        get(target, prop, receiver) {
          if (prop === 'updateEntity' || prop === 'createEntity' || prop === 'upsertEntity') {
            return async (...args: unknown[]) => {
              const other = pending;
              pending = undefined;
              if (other) await other();
              writes++;
              return (Reflect.get(target, prop, receiver) as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            };
          }
          const value = Reflect.get(target, prop, receiver) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      }) as TableClient;
      const factory = { table: () => racing } as unknown as TableClientFactory;
      return { texts: new PrivateTexts(factory), before: (write) => (pending = write), writes: () => writes };
    }
    const other = () => new PrivateTexts(t.app.tables);
    const at = jst('2026-11-24T16:00:00');

    it('a re-save whose read is stale keeps the 完了 pressed in between', async () => {
      const tenant = t.tenantId;
      const key = actionKeyOf({ text: '研修の予算を確保する', owner: 'manager' });
      const { texts, before, writes } = racingTexts();
      before(() =>
        other().update(
          tenant,
          'M',
          ref(),
          'record',
          (r) => {
            const done = markActionDone(r, key, ref(), 'M', at);
            return { value: done.kind === 'saved' ? done.record : undefined, result: undefined };
          },
          at,
        ),
      );
      const resaved: RecordBody = { good: '予算の見込みが立った', actions: [{ text: '研修の予算を確保する', owner: 'manager', due: '2027-03-05' }] };
      await texts.update(tenant, 'M', ref(), 'record', (r) => ({ value: carryDone(r, resaved), result: undefined }), at);
      expect(writes()).toBe(2);
      const after = await storedRecord();
      expect(after?.good).toBe('予算の見込みが立った');
      expect(after?.actions).toEqual([{ text: '研修の予算を確保する', owner: 'manager', due: '2027-03-05', doneAt: at.toISOString(), doneBy: 'M' }]);
    });

    it('a 完了 whose read is stale keeps the re-save written in between', async () => {
      const tenant = t.tenantId;
      const actions: RecordBody['actions'] = [
        { text: '研修の予算を確保する', owner: 'manager' },
        { text: '現場見学の日程を決める', owner: 'member' },
      ];
      await other().update(tenant, 'M', ref(), 'record', (r) => ({ value: carryDone(r, { good: '見学先を探す', actions }), result: undefined }), at);
      const { texts, before, writes } = racingTexts();
      before(() =>
        other().update(tenant, 'M', ref(), 'record', (r) => ({ value: carryDone(r, { good: '見学先が決まった', actions }), result: undefined }), at),
      );
      const key = actionKeyOf({ text: '現場見学の日程を決める', owner: 'member' });
      const outcome = await texts.update(
        tenant,
        'C',
        ref(),
        'record',
        (r) => {
          const result = markActionDone(r, key, ref(), 'C', at);
          return { value: result.kind === 'saved' ? result.record : undefined, result: result.kind };
        },
        at,
      );
      expect(outcome).toBe('saved');
      expect(writes()).toBe(2);
      const after = await storedRecord();
      expect(after?.good).toBe('見学先が決まった');
      expect(after?.actions.map((a) => a.doneBy)).toEqual(['M', 'C']);
    });
  });
});
