import fc from 'fast-check';
import { gzipSync } from 'node:zlib';

/**
 * fast-check generators for what /api/messages must survive: bodies that are not activities,
 * activities botbuilder cannot read, and card submits with a known verb whose field values are wrong.
 * Every "bad value" generator yields only values the verb's zod schema (or its handler) refuses, so a
 * submit built from them must never store anything and must always be answered with a refusal.
 */

/** A string no schema of hibi accepts where it expects up to `max` characters of text. */
export const tooLong = (max: number): fc.Arbitrary<string> =>
  fc.string({ minLength: max + 1, maxLength: max + 30, unit: fc.constantFrom('a', 'あ', '字', '😀', 'Ｚ') });

/** Empty for a required text: trimmed, these are all "". */
export const blank = fc.constantFrom('', ' ', '\u3000', '\n\t');

/** Not a string, a number or a boolean: no field of any card form takes one. */
export const structured: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/** Anything the field's own rule refuses, whatever its type: a number, a boolean, or a structure. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(structured, fc.integer(), fc.boolean());

export const notOneOf = (allowed: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(fc.string({ maxLength: 12 }), tooLong(64)).filter((s) => !allowed.includes(s));

const onScale = (s: string): boolean => Number.isInteger(Number(s)) && Number(s) >= 1 && Number(s) <= 5;

/** Outside 1–5 or not a whole number, as a card's ChoiceSet would send it (a string); "" is "not answered". */
export const badScale: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 6, max: 100_000 }).map(String),
  fc.integer({ min: -100_000, max: 0 }).map(String),
  fc
    .double({ min: 1.01, max: 4.99, noNaN: true })
    .filter((n) => !Number.isInteger(n))
    .map(String),
  fc.string({ minLength: 1, maxLength: 6 }).filter((s) => s !== '' && !onScale(s)),
);

/** Not HH:mm on a 24-hour clock. */
export const badTime: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.integer({ min: 24, max: 99 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${h}:${String(m).padStart(2, '0')}`),
  fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 60, max: 99 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${m}`),
  fc.string({ maxLength: 8 }).filter((s) => !/^([01]\d|2[0-3]):[0-5]\d$/.test(s.trim())),
);

/** Not even shaped like YYYY-MM-DD. */
export const badDateFormat: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('26-11-25', '2026/11/25', '2026-1-5', 'tomorrow'),
  fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/^\d{4}-\d{2}-\d{2}$/.test(s)),
);

/** Not a calendar day written YYYY-MM-DD. */
export const badDate: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('2026-02-30', '2026-13-01', '2026-00-10', '2026-11-31', '0000-00-00', '26-11-25', '2026/11/25'),
  fc.string({ maxLength: 12 }).filter((s) => !/^\d{4}-\d{2}-\d{2}$/.test(s)),
);

export interface Persona {
  id: string;
  teamsUserId: string;
  aadObjectId: string;
  conversationId: string;
}

/** Ids of things the warm-up created, so submits can name them and reach the deeper checks. */
export interface KnownIds {
  today: string;
  meetingId: string;
  reportId: string;
}

/** One verb: who presses it, a base payload, and for each field a generator of refused values. */
interface VerbSpec {
  verb: string;
  persona: string;
  base: (ids: KnownIds) => Record<string, unknown>;
  bad: Record<string, fc.Arbitrary<unknown>>;
}

const requiredText = (max: number) => fc.oneof(blank, tooLong(max), structured, fc.integer());
const optionalText = (max: number) => fc.oneof(tooLong(max), structured, fc.integer());
const toggle = fc.oneof(
  structured,
  fc.integer(),
  fc.string({ maxLength: 6 }).filter((s) => s !== 'true' && s !== 'false'),
);
const unknownMeeting = fc.constantFrom('m20991231235959-abcdef', 'm1', '', 'x'.repeat(2000));
const notAnId = fc.oneof(fc.constantFrom('NOPE', 'bad id!', '../X', ''), tooLong(64), structured);

export const VERBS: readonly VerbSpec[] = [
  {
    verb: 'checkin.submit',
    persona: 'X',
    base: ({ today }) => ({
      verb: 'checkin.submit',
      slot: 'morning',
      day: today,
      priority: '窓口の案内',
      purpose: '',
      trouble: '',
      needHelp: 'false',
      condition: '3',
    }),
    bad: {
      day: badDate,
      slot: notOneOf(['morning', 'evening']),
      priority: requiredText(200),
      purpose: optionalText(200),
      trouble: optionalText(500),
      needHelp: toggle,
      condition: fc.oneof(badScale, structured),
    },
  },
  {
    verb: 'checkin.submit',
    persona: 'X',
    base: ({ today }) => ({
      verb: 'checkin.submit',
      slot: 'evening',
      day: today,
      done: '書類の整理',
      carryOver: '',
      overtime: '30',
      satisfaction: '4',
      learning: '',
    }),
    bad: {
      day: badDate,
      done: requiredText(500),
      carryOver: optionalText(500),
      overtime: fc.oneof(
        fc.integer({ min: 601, max: 100_000 }).map(String),
        fc.integer({ min: -1000, max: -1 }).map(String),
        fc.constantFrom('16:00', '99:99', '3.5', 'abc', '0:00'),
        structured,
      ),
      satisfaction: fc.oneof(badScale, structured),
      learning: optionalText(500),
    },
  },
  {
    verb: 'checkin.help.take',
    persona: 'M',
    base: ({ today }) => ({ verb: 'checkin.help.take', day: today, unit: '建設課', reporterId: 'NOBODY' }),
    bad: { day: badDate, unit: fc.oneof(blank, tooLong(50), structured), reporterId: notAnId },
  },
  {
    verb: 'checkin.settings.save',
    persona: 'H',
    base: () => ({
      verb: 'checkin.settings.save',
      unit: '建設課',
      morningAt: '08:45',
      morningCloseAt: '11:00',
      eveningAt: '17:00',
      eveningCloseAt: '19:00',
      reminderAfterMinutes: '30',
      channel: 'none',
    }),
    bad: {
      unit: fc.oneof(fc.constantFrom('存在しない課', ''), structured),
      morningAt: fc.oneof(badTime, structured),
      morningCloseAt: fc.oneof(badTime, fc.constantFrom('08:50', '09:15')),
      eveningAt: fc.oneof(badTime, fc.constantFrom('08:00', '08:45')),
      eveningCloseAt: fc.oneof(badTime, fc.constantFrom('17:10')),
      reminderAfterMinutes: fc.oneof(
        fc.integer({ min: 121, max: 100_000 }).map(String),
        fc.integer({ min: -100, max: -1 }).map(String),
        fc.constantFrom('x', '1.5'),
      ),
      channel: fc.oneof(
        fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s !== 'none'),
        structured,
      ),
    },
  },
  {
    verb: 'nearmiss.submit',
    persona: 'X',
    base: ({ today }) => ({
      verb: 'nearmiss.submit',
      formId: '6f1c0a52-8a0e-4c57-9d63-0b6f8d6c2a11',
      date: today,
      time: '08:30',
      category: 'counter',
      what: '申請書を別の方に渡しかけた',
      consequence: '',
      impact: '2',
      cause: 'check',
      idea: '',
      anonymous: 'false',
    }),
    bad: {
      date: fc.oneof(badDate, fc.constantFrom('2026-11-26', '2099-01-01')),
      time: badTime,
      category: notOneOf(['counter', 'personal', 'money', 'documents', 'system', 'safety', 'external', 'other']),
      what: requiredText(500),
      consequence: optionalText(500),
      impact: notOneOf(['1', '2', '3', '4']),
      cause: notOneOf(['', 'check', 'knowledge', 'procedure', 'communication', 'time', 'system', 'other']),
      idea: optionalText(500),
      anonymous: toggle,
    },
  },
  {
    verb: 'nearmiss.ack',
    persona: 'M',
    base: () => ({ verb: 'nearmiss.ack', id: 'NM-2026-9999' }),
    bad: { id: fc.oneof(fc.constantFrom('NM-2026-9998', 'NM-1', 'NM-2026-0001x', ''), tooLong(64), structured) },
  },
  {
    verb: 'nearmiss.decide',
    persona: 'M',
    base: ({ reportId }) => ({ verb: 'nearmiss.decide', id: reportId, countermeasure: '二人で確認する', owner: '建設課' }),
    bad: { id: fc.oneof(fc.constantFrom('NM-2026-9999', 'NM-1'), structured), countermeasure: requiredText(500), owner: requiredText(100) },
  },
  {
    verb: 'nearmiss.view',
    persona: 'C',
    base: () => ({ verb: 'nearmiss.view', id: 'NM-2026-9999' }),
    bad: { id: fc.oneof(fc.constantFrom('NM-2026-9998', 'NM-'), tooLong(64), structured) },
  },
  {
    verb: 'kudos.send',
    persona: 'X',
    base: () => ({ verb: 'kudos.send', submitId: 'kfuzz0001', recipients: 'M', value: 'team', message: 'いつもありがとうございます', public: 'false' }),
    bad: {
      submitId: fc.oneof(fc.constantFrom('', 'bad id!', 'あ'), tooLong(64), structured),
      recipients: fc.oneof(fc.constantFrom('', 'X', 'NOPE', ' , ', 'M,NOPE'), fc.constant(Array.from({ length: 11 }, (_, i) => `P${i}`).join(',')), structured),
      value: notOneOf(['purpose', 'share', 'learn', 'sincere', 'data', 'residents', 'autonomy', 'team', 'reform']),
      message: requiredText(500),
      public: toggle,
    },
  },
  {
    verb: 'kudos.plus.show',
    persona: 'M',
    base: () => ({ verb: 'kudos.plus.show', memberId: 'NOPE' }),
    bad: { memberId: fc.oneof(notAnId, fc.constant('H')) },
  },
  {
    verb: 'oneonone.schedule.open',
    persona: 'M',
    base: () => ({ verb: 'oneonone.schedule.open', memberId: 'NOPE' }),
    bad: { memberId: fc.oneof(notAnId, fc.constant('H')), meetingId: unknownMeeting },
  },
  {
    verb: 'oneonone.schedule.save',
    persona: 'M',
    base: () => ({ verb: 'oneonone.schedule.save', memberId: 'X', meetingId: '', date: '2026-11-27', time: '14:00', length: '30' }),
    bad: {
      memberId: fc.oneof(notAnId, fc.constant('H')),
      meetingId: fc.constantFrom('m1', 'x'.repeat(100)),
      date: fc.oneof(badDate, fc.constantFrom('2026-11-20', '2025-01-01')),
      time: fc.oneof(badTime, fc.constantFrom('06:59', '22:30', '05:00')),
      length: notOneOf(['15', '30', '45', '60']),
    },
  },
  {
    verb: 'oneonone.cancel',
    persona: 'M',
    base: ({ meetingId }) => ({ verb: 'oneonone.cancel', memberId: 'X', meetingId }),
    bad: { memberId: fc.oneof(notAnId, fc.constant('C')), meetingId: unknownMeeting },
  },
  {
    verb: 'oneonone.agenda.save',
    persona: 'X',
    base: ({ meetingId }) => ({ verb: 'oneonone.agenda.save', managerId: 'M', meetingId, topics: '', progress: '', worries: '' }),
    bad: {
      managerId: fc.oneof(notAnId, fc.constant('C')),
      meetingId: unknownMeeting,
      topics: optionalText(500),
      progress: optionalText(500),
      worries: optionalText(500),
    },
  },
  {
    verb: 'oneonone.record.save',
    persona: 'M',
    base: ({ meetingId }) => ({
      verb: 'oneonone.record.save',
      managerId: 'M',
      memberId: 'X',
      meetingId,
      good: '',
      expectations: '',
      achievement: '3',
      worriesResponse: '',
      next: '',
    }),
    bad: {
      managerId: fc.oneof(notAnId, fc.constant('X')),
      memberId: fc.oneof(notAnId, fc.constant('C')),
      meetingId: unknownMeeting,
      good: optionalText(500),
      achievement: fc.oneof(badScale, structured),
      next: optionalText(500),
      action1Text: optionalText(200),
      action1Owner: notOneOf(['', 'manager', 'member']),
      action1Due: badDateFormat,
    },
  },
  {
    verb: 'oneonone.record.confirm',
    persona: 'X',
    base: ({ meetingId }) => ({ verb: 'oneonone.record.confirm', managerId: 'M', memberId: 'X', meetingId, comment: '' }),
    bad: {
      managerId: fc.oneof(notAnId, fc.constant('C')),
      memberId: fc.oneof(notAnId, fc.constant('M')),
      meetingId: unknownMeeting,
      comment: optionalText(500),
    },
  },
  {
    verb: 'oneonone.cadence.pair',
    persona: 'M',
    base: () => ({ verb: 'oneonone.cadence.pair', target: 'X', cadence: '30' }),
    bad: { target: fc.oneof(notAnId, fc.constantFrom('H', 'S')), cadence: notOneOf(['14', '30', '60', '90', 'unit']) },
  },
  {
    verb: 'oneonone.cadence.unit',
    persona: 'H',
    base: () => ({ verb: 'oneonone.cadence.unit', target: '建設課', cadence: '30' }),
    bad: { target: fc.oneof(fc.constantFrom('存在しない課', ''), tooLong(64), structured), cadence: notOneOf(['14', '30', '60', '90']) },
  },
];

export interface WrongSubmit {
  persona: string;
  verb: string;
  value: (ids: KnownIds) => Record<string, unknown>;
  /** For the failure report: which fields were made wrong. */
  broken: Record<string, unknown>;
}

/** A known verb whose payload has one to three fields set to values its schema refuses, plus stray fields. */
export const wrongSubmit: fc.Arbitrary<WrongSubmit> = fc.constantFrom(...VERBS).chain((spec) =>
  fc
    .tuple(
      fc
        .uniqueArray(fc.constantFrom(...Object.keys(spec.bad)), { minLength: 1, maxLength: 3 })
        .chain((fields) => fc.record(Object.fromEntries(fields.map((f) => [f, spec.bad[f] as fc.Arbitrary<unknown>])))),
      fc.dictionary(
        fc
          .string({ minLength: 1, maxLength: 8 })
          .filter((k) => !(k in spec.base({ today: '', meetingId: '', reportId: '' })) && k !== 'verb' && !(k in spec.bad)),
        fc.jsonValue({ maxDepth: 2 }),
        { maxKeys: 2 },
      ),
    )
    .map(([broken, stray]) => ({
      persona: spec.persona,
      verb: spec.verb,
      broken,
      value: (ids: KnownIds) => ({ ...stray, ...spec.base(ids), ...broken }),
    })),
);

/** Card submits hibi does not know: another verb, or a value that is not an object at all. */
export const unknownSubmit: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({ verb: fc.string({ maxLength: 30 }).filter((v) => !VERBS.some((s) => s.verb === v) && v !== 'nearmiss.open' && v !== 'oneonone.cadence.open') }),
  fc.record({ verb: wrongType }),
  fc.jsonValue({ maxDepth: 2 }).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
);

/** Commands whose first word writes something (a leave, a language, a kudos): text made up here must not be one. */
const WRITING_COMMANDS = ['leave', '休み', '休暇', 'やすみ', 'language', '言語', 'げんご', 'lang', 'kudos', 'thanks', 'ありがとう', 'サンクス', '感謝'];

export const madeUpText: fc.Arbitrary<string> = fc
  .oneof(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40, unit: 'grapheme' }), tooLong(2000))
  .filter((text) => !WRITING_COMMANDS.includes(text.normalize('NFKC').trim().split(/\s+/)[0]?.toLowerCase() ?? ''));

/** Known commands with arguments they refuse. */
const argument = (refused: RegExp) =>
  fc.string({ minLength: 1, maxLength: 10 }).filter((s) => {
    const text = s.normalize('NFKC').trim();
    return text !== '' && !refused.test(text);
  });

export const wrongCommand: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('休み', 'leave'),
      fc.oneof(fc.constantFrom('13/45', '2/30', '2026-11-24', 'あした', '2020-01-01'), argument(/\d|^(today|tomorrow|今日|明日)$/i)),
    )
    .map(([c, a]) => `${c} ${a}`),
  fc.tuple(fc.constantFrom('言語', 'language'), argument(/^(english|日本語|にほんご|japanese|en|ja|英語|えいご)$/i)).map(([c, a]) => `${c} ${a}`),
  fc.constantFrom('チェックイン設定 存在しない課', '1on1 設定 存在しない課', 'プラス評価'),
);

const ACTIVITY_TYPES = [
  'message',
  'conversationUpdate',
  'installationUpdate',
  'invoke',
  'event',
  'typing',
  'messageReaction',
  'endOfConversation',
  'messageUpdate',
  'messageDelete',
];

/** A change that leaves an activity botbuilder might not read: a missing field, a wrong type, an odd type or scope. */
const mutation: fc.Arbitrary<(a: Record<string, unknown>) => void> = fc.oneof(
  fc
    .constantFrom('type', 'channelId', 'serviceUrl', 'from', 'recipient', 'conversation', 'id', 'text', 'channelData')
    .map((field) => (a: Record<string, unknown>) => {
      delete a[field];
    }),
  fc
    .tuple(
      fc.constantFrom(
        'type',
        'channelId',
        'serviceUrl',
        'from',
        'recipient',
        'conversation',
        'text',
        'value',
        'entities',
        'channelData',
        'locale',
        'replyToId',
        'membersAdded',
        'attachments',
        'timestamp',
        'name',
        'action',
      ),
      wrongType,
    )
    .map(([field, value]) => (a: Record<string, unknown>) => {
      a[field] = value;
    }),
  fc
    .tuple(
      fc.constantFrom('from', 'recipient', 'conversation'),
      fc.constantFrom('id', 'aadObjectId', 'tenantId', 'conversationType', 'name', 'role', 'isGroup', 'properties'),
      wrongType,
    )
    .map(([field, key, value]) => (a: Record<string, unknown>) => {
      a[field] = { ...(a[field] as object), [key]: value };
    }),
  fc.oneof(fc.constantFrom(...ACTIVITY_TYPES), fc.string({ maxLength: 20 })).map((type) => (a: Record<string, unknown>) => {
    a.type = type;
  }),
  fc.oneof(fc.constantFrom('groupChat', 'channel', ''), fc.string({ maxLength: 12 })).map((conversationType) => (a: Record<string, unknown>) => {
    a.conversation = { ...(a.conversation as object), conversationType };
  }),
  fc
    .array(
      fc.oneof(
        fc.record({ type: fc.constant('mention') }),
        fc.record({ type: fc.constant('mention'), mentioned: fc.oneof(wrongType, fc.record({ id: wrongType })) }),
        fc.jsonValue({ maxDepth: 2 }),
      ),
      { maxLength: 3 },
    )
    .map((entities) => (a: Record<string, unknown>) => {
      a.entities = entities;
    }),
  fc
    .oneof(fc.constantFrom('not a url', 'ftp://x/', 'javascript:alert(1)', ''), fc.string({ maxLength: 10 }))
    .map((serviceUrl) => (a: Record<string, unknown>) => {
      a.serviceUrl = serviceUrl;
    }),
  fc.oneof(fc.constantFrom('add', 'remove', 'add-upgrade'), fc.string({ maxLength: 10 })).map((action) => (a: Record<string, unknown>) => {
    a.action = action;
  }),
  fc.array(fc.oneof(fc.record({ id: fc.string({ maxLength: 10 }) }), wrongType), { maxLength: 3 }).map((members) => (a: Record<string, unknown>) => {
    a.membersAdded = members;
  }),
  fc
    .record(
      {
        tenant: fc.oneof(wrongType, fc.record({ id: wrongType })),
        team: fc.oneof(wrongType, fc.record({ id: wrongType })),
        eventType: fc.oneof(fc.string({ maxLength: 12 }), wrongType),
      },
      { requiredKeys: [] },
    )
    .map((channelData) => (a: Record<string, unknown>) => {
      a.channelData = { ...(a.channelData as object), ...channelData };
    }),
);

/** A list of changes to apply to a well-formed activity. */
export const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 });

export interface RawRequest {
  contentType?: string;
  contentEncoding?: string;
  body: string | Uint8Array;
  /** The status class the server must answer with: the body never reaches botbuilder. */
  expect: 400 | 413 | 415;
}

/** Requests that are not a JSON activity at all, or too large to read. */
export const rawRequest = (validActivity: () => Record<string, unknown>, maxBodyBytes: number): fc.Arbitrary<RawRequest> =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .oneof(fc.string(), fc.constantFrom('{', '{"type":', '{"type":"message",}', 'undefined', "{'type':'message'}"))
        .filter(notJson)
        .map((body) => ({ contentType: 'application/json', body, expect: 400 as const })),
    },
    {
      weight: 2,
      arbitrary: fc
        .jsonValue()
        .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))
        .map((v) => ({ contentType: 'application/json', body: JSON.stringify(v), expect: 400 as const })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/xml',
            'application/vnd.api+json',
            'application/octet-stream',
            undefined,
          ),
          fc.boolean(),
        )
        .map(([contentType, asActivity]) => ({
          contentType,
          body: asActivity ? JSON.stringify(validActivity()) : 'type=message&text=help',
          expect: 415 as const,
        })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('gzip', 'deflate', 'br').map((contentEncoding) => ({
        contentType: 'application/json',
        contentEncoding,
        body: gzipSync(JSON.stringify(validActivity())),
        expect: 415 as const,
      })),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1, max: maxBodyBytes }).map((extra) => ({
        contentType: 'application/json',
        body: JSON.stringify({ ...validActivity(), text: 'x'.repeat(maxBodyBytes + extra) }),
        expect: 413 as const,
      })),
    },
  );

function notJson(text: string): boolean {
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
}
