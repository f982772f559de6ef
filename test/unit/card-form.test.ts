import { z } from 'zod';
import { translator } from '../../src/i18n/i18n';
import { dayField, fieldErrors, outsideFields, readForm, timeField, typedValues } from '../../src/shared/card-form';

const ja = translator('ja');
const en = translator('en');

describe('card-form: one reader for every card submit', () => {
  it('keeps what was typed as strings and blanks anything a card input cannot show', () => {
    expect(typedValues({ a: 'x', b: 3, c: true, d: { nested: 1 }, e: null }, ['a', 'b', 'c', 'd', 'e', 'f'])).toEqual({
      a: 'x',
      b: '3',
      c: 'true',
      d: '',
      e: '',
      f: '',
    });
    expect(typedValues('not an object', ['a'])).toEqual({ a: '' });
  });

  it('words the shared kinds in the person’s language, the first problem per field', () => {
    const issues = [
      { path: ['what'], message: 'required' },
      { path: ['what'], message: 'max:500' },
      { path: ['note'], message: 'max:5' },
      { path: ['date'], message: 'date' },
      { path: ['time'], message: 'time' },
      { path: ['kind'], message: 'choice' },
    ];
    expect(fieldErrors(issues, { note: ' 123456 ' }, ja)).toEqual({
      what: '入力してください',
      note: '5文字以内で入力してください（いま 6文字）',
      date: '日付を選んでください',
      time: '時刻を 16:40 のように選んでください',
      kind: '一覧から選んでください',
    });
    expect(fieldErrors(issues, {}, en).what).toBe('Please fill this in');
  });

  it('lets a feature word its own kinds, a day not on the calendar, and anything unknown', () => {
    const issues = [
      { path: ['due'], message: 'noSuchDay' },
      { path: ['scale'], message: 'scale' },
      { path: ['who'], message: 'tooMany:10' },
      { path: ['odd'], message: 'Invalid input' },
    ];
    expect(fieldErrors(issues, {}, ja)).toEqual({ due: '日付を選んでください', scale: '入力してください', who: '入力してください', odd: '入力してください' });
    const own = fieldErrors(issues, {}, ja, {
      noSuchDay: 'oneonone.error.noSuchDay',
      scale: 'checkin.error.scale',
      tooMany: 'kudos.error.tooMany',
      other: 'oneonone.error.invalid',
    });
    expect(own).toEqual({
      due: 'その日付はカレンダーにありません',
      scale: ja('checkin.error.scale'),
      who: '一度に送れる宛先は 10人までです。',
      odd: ja('oneonone.error.invalid'),
    });
  });

  it('reads a submit into its data, or into the typed values with a message per field', () => {
    const schema = z.object({ day: dayField, at: timeField });
    expect(readForm(schema, { day: '2026-11-24', at: ' 09:30 ' }, ['day', 'at'], ja)).toEqual({ ok: true, data: { day: '2026-11-24', at: '09:30' } });
    expect(readForm(schema, { day: '2026-02-30', at: '25:00' }, ['day', 'at'], ja)).toEqual({
      ok: false,
      values: { day: '2026-02-30', at: '25:00' },
      errors: { day: '日付を選んでください', at: '時刻を 16:40 のように選んでください' },
    });
    expect(dayField.safeParse('2026-2-3').success).toBe(false);
    expect(timeField.safeParse('9:30').success).toBe(false);
  });

  it('tells a forged or stale card (a problem outside its fields) from a typing mistake', () => {
    expect(outsideFields([{ path: ['what'] }], ['what'])).toBe(false);
    expect(outsideFields([{ path: ['verb'] }, { path: ['what'] }], ['what'])).toBe(true);
  });
});
