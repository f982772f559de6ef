import { NEARMISS_TABLES, NearMissRepository } from '../../src/features/nearmiss/nearmiss.repository';
import { fixedClock } from '../../src/shared/clock';
import { loadNearMissOrg, textOf, type NearMissOrg } from '../helpers/nearmiss-org';
import { startTestApp, type TestApp } from '../helpers/test-app';

describe('ヒヤリハット: the report card, its checks and the number', () => {
  let t: TestApp;
  let org: NearMissOrg;

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(new Date('2026-11-25T17:05:00+09:00')) });
    org = await loadNearMissOrg(t);
  });
  afterAll(() => t.stop());
  beforeEach(() => t.connector.reset());

  const lastCard = (): Record<string, unknown> => {
    const call = t.connector.calls.at(-1);
    return (call?.body.attachments as { content: Record<string, unknown> }[] | undefined)?.[0]?.content ?? {};
  };
  const inputs = (card: Record<string, unknown>): Record<string, Record<string, unknown>> => {
    const found: Record<string, Record<string, unknown>> = {};
    JSON.stringify(card, (_key, value: unknown) => {
      const element = value as { id?: unknown; type?: unknown };
      if (typeof element?.type === 'string' && element.type.startsWith('Input.') && typeof element.id === 'string')
        found[element.id] = value as Record<string, unknown>;
      return value;
    });
    return found;
  };

  it('`ヒヤリハット` and `nearmiss` open the form, starting at now, with the anonymity promise', async () => {
    for (const command of ['ヒヤリハット', 'nearmiss']) {
      t.connector.reset();
      await org.say('ST', command);
      const card = lastCard();
      const fields = inputs(card);
      expect(Object.keys(fields).sort()).toEqual(['anonymous', 'category', 'cause', 'consequence', 'date', 'idea', 'impact', 'time', 'what']);
      expect(fields.date?.value).toBe('2026-11-25');
      expect(fields.date?.max).toBe('2026-11-25');
      expect(fields.time?.value).toBe('17:05');
      expect(JSON.stringify(card)).toContain('名前・職員番号・会話は記録されず');
    }
  });

  it('the evening check-in card’s button opens the same form', async () => {
    await org.submit('ST', { verb: 'nearmiss.open' });
    expect(Object.keys(inputs(lastCard()))).toContain('what');
  });

  it('refuses a missing 何が起きたか, a too long text and a future time, keeping what was typed; nothing is filed', async () => {
    const long = 'あ'.repeat(501);
    await org.submit('ST', {
      verb: 'nearmiss.submit',
      date: '2026-11-25',
      time: '16:00',
      category: 'counter',
      what: '',
      impact: '2',
      consequence: long,
      anonymous: 'true',
    });
    let card = JSON.stringify(lastCard());
    expect(card).toContain('入力してください');
    expect(card).toContain('500文字以内で入力してください（いま 501文字）');
    expect(inputs(lastCard()).consequence?.value).toBe(long);
    expect(inputs(lastCard()).anonymous?.value).toBe('true');

    await org.submit('ST', { verb: 'nearmiss.submit', date: '2026-11-25', time: '18:00', category: 'money', what: 'まだ起きていない', impact: '2' });
    card = JSON.stringify(lastCard());
    expect(card).toContain('まだ来ていない日時です');
    expect(inputs(lastCard()).what?.value).toBe('まだ起きていない');
    expect(inputs(lastCard()).category?.value).toBe('money');

    await org.submit('ST', { verb: 'nearmiss.submit', date: '2026-11-25', time: '16:00', category: 'nope', what: 'x', impact: '9' });
    expect(JSON.stringify(lastCard()).match(/一覧から選んでください/g)).toHaveLength(2);
    expect(t.connector.calls.every((c) => c.kind === 'update')).toBe(true);
    expect(await new NearMissRepository(t.app.tables).listAll(t.tenantId)).toEqual([]);
  });

  it('thanks the reporter with a number per fiscal year, replacing the form', async () => {
    await org.report('ST', { what: '一件目' });
    expect(JSON.stringify(lastCard())).toContain('受付番号 NM-2026-0001');
    expect(JSON.stringify(lastCard())).toContain('報告ありがとうございます');
    expect(t.connector.calls.at(-1)?.kind).toBe('update');
    await org.report('L1', { what: '二件目' });
    expect(JSON.stringify(lastCard())).toContain('受付番号 NM-2026-0002');
    expect(JSON.stringify(lastCard())).toContain('主査 土木 主査 に届けました');
    await t.app.deliverPending();
    expect(t.connector.sent().some((c) => textOf(c).includes('NM-2026-0002') && textOf(c).includes('二件目'))).toBe(true);
  });

  it('never gives one number twice, however many reports arrive at once', async () => {
    const repository = new NearMissRepository(t.app.tables);
    const tenant = `${t.tenantId}-counter`;
    const numbers = await Promise.all(Array.from({ length: 12 }, () => repository.nextNumber(tenant, 2026)));
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_v, i) => i + 1));
    expect(await repository.nextNumber(tenant, 2027)).toBe(1);
  });

  it('numbers a form once however many of its copies arrive among other forms, leaving no gap', async () => {
    const repository = new NearMissRepository(t.app.tables);
    const tenant = `${t.tenantId}-forms`;
    const forms = ['a', 'b', 'c', 'd', 'e'].map((c) => `${c}0000000-0000-4000-8000-000000000000`);
    const copies = [...forms, forms[0]!, forms[0]!, forms[0]!, forms[1]!, forms[1]!];
    const ids = await Promise.all(copies.map((formId) => repository.numberForm(tenant, formId, 2026)));
    const byForm = new Map(copies.map((formId, i) => [formId, ids[i]]));
    copies.forEach((formId, i) => expect(ids[i]).toBe(byForm.get(formId)));
    expect([...byForm.values()].sort()).toEqual(['NM-2026-0001', 'NM-2026-0002', 'NM-2026-0003', 'NM-2026-0004', 'NM-2026-0005']);
    expect(await repository.nextNumber(tenant, 2026)).toBe(6);
  });

  it('numbers a form whose claiming copy died before numbering it', async () => {
    const repository = new NearMissRepository(t.app.tables);
    const tenant = `${t.tenantId}-dead-copy`;
    const formId = 'f0000000-0000-4000-8000-000000000000';
    await t.app.tables.table(NEARMISS_TABLES.forms).createEntity({ partitionKey: tenant, rowKey: formId, reportId: '' });
    expect(await repository.numberForm(tenant, formId, 2026)).toBe('NM-2026-0001');
    expect(await repository.filedAs(tenant, formId)).toBe('NM-2026-0001');
  });

  it('files one report however often the same card is sent, and shows its number again', async () => {
    await org.submit('ST', { verb: 'nearmiss.open' });
    const formId = JSON.stringify(lastCard()).match(/"formId":"([0-9a-f-]{36})"/)?.[1];
    expect(formId).toBeDefined();
    const card = { verb: 'nearmiss.submit', formId, date: '2026-11-25', time: '16:00', category: 'counter', what: '二度押し', impact: '1' };
    await org.submit('ST', card);
    const first = JSON.stringify(lastCard()).match(/NM-2026-\d{4}/)?.[0];
    await org.submit('ST', card);
    expect(JSON.stringify(lastCard())).toContain(first);
    expect(JSON.stringify(lastCard())).toContain('すでに受け付けています');
    const filed = (await new NearMissRepository(t.app.tables).listAll(t.tenantId)).filter((r) => r.what === '二度押し');
    expect(filed).toHaveLength(1);
    expect(filed[0]!.id).toBe(first);

    // The card sent again used up no number: the next report is the one right after.
    await org.submit('ST', { verb: 'nearmiss.open' });
    const nextForm = JSON.stringify(lastCard()).match(/"formId":"([0-9a-f-]{36})"/)?.[1];
    await org.submit('ST', { ...card, formId: nextForm, what: '次の報告' });
    const next = JSON.stringify(lastCard()).match(/NM-2026-(\d{4})/)?.[1];
    expect(Number(next)).toBe(Number(first!.slice(-4)) + 1);
  });

  it('two copies of one card arriving together file one report under one number, and the next report follows it', async () => {
    const formOf = async (): Promise<string> => {
      await org.submit('ST', { verb: 'nearmiss.open' });
      const formId = JSON.stringify(lastCard()).match(/"formId":"([0-9a-f-]{36})"/)?.[1];
      expect(formId).toBeDefined();
      return formId!;
    };
    const card = { verb: 'nearmiss.submit', formId: await formOf(), date: '2026-11-25', time: '16:00', category: 'counter', what: '同時に二通', impact: '1' };
    const before = (await new NearMissRepository(t.app.tables).listAll(t.tenantId)).map((r) => r.seq);
    t.connector.reset();
    await Promise.all([org.submit('ST', card), org.submit('ST', card)]);

    const answers = t.connector.calls.map((c) => JSON.stringify(c.body).match(/NM-2026-\d{4}/)?.[0]);
    expect(answers).toHaveLength(2);
    expect(new Set(answers).size).toBe(1);
    const filed = (await new NearMissRepository(t.app.tables).listAll(t.tenantId)).filter((r) => r.what === '同時に二通');
    expect(filed).toHaveLength(1);
    expect(filed[0]!.id).toBe(answers[0]);
    expect(filed[0]!.seq).toBe(Math.max(0, ...before) + 1);

    await org.submit('ST', { ...card, formId: await formOf(), what: '次の一通' });
    expect(JSON.stringify(lastCard())).toContain(`NM-2026-${String(filed[0]!.seq + 1).padStart(4, '0')}`);
  });
});
