import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { benchAadObjectId, syntheticDirectory } from '../../bench/directory';
import type { HandlerContext } from '../../src/routing/handler-context';
import { toActivity } from '../../src/bot/hibi-bot';
import { CARD_TEMPLATES, MESSAGE_LIMIT_BYTES, renderCard, utf16Bytes } from '../../src/cards/render-card';
import type { OutgoingMessage } from '../../src/delivery/delivery.types';
import { Outbox } from '../../src/delivery/outbox';
import type { OutboxRepository } from '../../src/delivery/outbox.repository';
import { checkinSettingsHandlers, type SettingsDeps } from '../../src/features/checkin/settings.handlers';
import { renderCheckinForm, renderHelpRequestCard, renderSavedCard, renderSummaryCard } from '../../src/features/checkin/checkin.cards';
import type { CheckinRecord } from '../../src/features/checkin/checkin.schema';
import { summariseUnit } from '../../src/features/checkin/checkin.service';
import { DEFAULT_SCHEDULE } from '../../src/features/checkin/unit-schedule.schema';
import { renderHelpCard } from '../../src/features/help/help.card';
import { renderKpiSummaryCard } from '../../src/features/kpi/report/kpi-summary.card';
import { renderDigestCard, renderPublicCard, renderReceivedCard, renderSentCard } from '../../src/features/kudos/kudos.cards';
import type { KudosDeps } from '../../src/features/kudos/kudos.deps';
import { formRecipients, LISTED_RECIPIENTS } from '../../src/features/kudos/kudos.cards';
import { kudosHandlers } from '../../src/features/kudos/kudos.handlers';
import type { KudosRecord, PlusEntry, ValueKey } from '../../src/features/kudos/kudos.schema';
import { VALUE_KEYS } from '../../src/features/kudos/kudos.schema';
import { plusHandlers } from '../../src/features/kudos/plus.handlers';
import { renderDigest as renderNearmissDigest, renderList, renderReportForm, renderReportView, renderThanks } from '../../src/features/nearmiss/nearmiss.cards';
import { CATEGORIES, type NearMiss } from '../../src/features/nearmiss/nearmiss.schema';
import { renderJuniorList, renderPlanForm, renderPlanView, renderProgressForm } from '../../src/features/ojt/ojt.cards';
import { PLAN_FIELDS, STEP_ROWS, type Plan } from '../../src/features/ojt/ojt.schema';
import { renderDigest as renderOneononeDigest, renderScheduledCard, renderScheduleForm } from '../../src/features/oneonone/oneonone.cards';
import { renderAgendaCard, renderRecordForm, renderRecordView, renderReminderCard } from '../../src/features/oneonone/record.cards';
import type { OneOnOneDeps } from '../../src/features/oneonone/oneonone.deps';
import { oneononeHandlers } from '../../src/features/oneonone/oneonone.handlers';
import type { Meeting, Pair, RecordBody } from '../../src/features/oneonone/oneonone.schema';
import { pairsFromDirectory, viewPair } from '../../src/features/oneonone/oneonone.service';
import { DEFAULT_REMINDER_TIMES } from '../../src/features/oneonone/reminder-times.schema';
import type { Person } from '../../src/directory/org.schema';
import { notInstalledRoute, type ReachDeps } from '../../src/features/reach/reach.handlers';
import { renderAttendanceForm, renderNotice, renderRegisterForm } from '../../src/features/training/training.cards';
import { trainingHandlers, type TrainingDeps } from '../../src/features/training/training.handlers';
import type { Training } from '../../src/features/training/training.schema';
import { ja } from '../../src/i18n/catalog-ja';
import { translator, type Locale, type MessageKey } from '../../src/i18n/i18n';
import { fixedClock } from '../../src/shared/clock';
import { sampleKpiReport } from '../helpers/kpi-report-sample';
import { largestDone, largestForm, largestResults, largestTexts } from '../helpers/survey-sizes';

/**
 * Every message hibi sends stays under 40 KB of UTF-16 (Teams refuses about 100 KB with 413
 * MessageSizeTooBig): each card template is rendered the way its handler renders it, for a town of
 * 10,000 people (100 課 of 100) in which 第1課 has 2,000 people who all report to its 課長, with every
 * text at its limit, and measured as the activity Teams receives.
 */

const CARDS_DIR = path.join(__dirname, '..', '..', 'cards');
const TENANT = '7f3c2a10-5b4d-4e6f-8a9b-0c1d2e3f4a5b';
const NOW = new Date('2026-11-25T10:00:00+09:00');
const DAY = '2026-11-25';
const BIG_UNIT = '第1課';

/** The synthetic town with units 第1課…第20課 folded into one 課 of 2,000 under its 課長 U1M, as a flat CSV draws it. */
function town(): Person[] {
  return syntheticDirectory(10_000).people.map((p) => {
    const u = Number(/^U(\d+)/.exec(p.id)?.[1]);
    if (u > 20 || p.id === 'U1M') return p;
    return { ...p, unit: BIG_UNIT, managerId: 'U1M', role: p.role === 'manager' ? 'chief' : p.role };
  });
}
const PEOPLE = town();
const byId = new Map(PEOPLE.map((p) => [p.id, p]));
const person = (id: string): Person => byId.get(id) as Person;
const HEAD = person('U1M');
const MEMBER = person('U1G1P3');
const HR: Person = { ...person('U50G1P3'), hr: true };
const big = PEOPLE.filter((p) => p.unit === BIG_UNIT);

/** A text at its limit, in Japanese, with line breaks (JSON escapes them). */
const text = (length: number): string => Array.from({ length }, (_, i) => (i % 40 === 39 ? '\n' : '記録'[i % 2])).join('');
const value = (i: number): ValueKey => VALUE_KEYS[i % VALUE_KEYS.length] as ValueKey;
const meeting = (memberId: string, i = 0): Meeting => ({
  tenantId: TENANT,
  managerId: HEAD.id,
  memberId,
  meetingId: `m20261125100000-${String(i).padStart(6, '0')}`,
  unit: BIG_UNIT,
  memberRole: 'staff',
  day: '2026-11-26',
  time: '14:00',
  lengthMinutes: 60,
  status: 'scheduled',
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
});
/** An OJT plan at its limits: goals and eight steps, every one done. */
const ojtPlan = (juniorId: string): Plan => ({
  tenantId: TENANT,
  juniorId,
  mentorId: HEAD.id,
  goals: text(500),
  steps: STEP_ROWS.map(() => ({ text: text(200), due: '2026-12-01', doneOn: DAY })),
  formId: 'ojt-form-1',
  createdOn: DAY,
  savedOn: DAY,
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
});
const fullRecord = (): RecordBody => ({
  good: text(500),
  expectations: text(500),
  achievement: 4,
  worriesResponse: text(500),
  next: text(500),
  actions: [1, 2, 3].map((n) => ({ text: text(200), owner: n === 1 ? 'manager' : 'member', due: '2026-12-10' })),
});
const report = (i: number, over: Partial<NearMiss> = {}): NearMiss => ({
  tenantId: TENANT,
  id: `NM-2026-${String(i + 1).padStart(4, '0')}`,
  fiscalYear: 2026,
  seq: i + 1,
  day: '2026-10-15',
  unit: `第${(i % 100) + 1}課`,
  anonymous: false,
  reporterId: PEOPLE[i]?.id,
  occurredAt: '2026-10-15T09:00:00+09:00',
  category: CATEGORIES[i % CATEGORIES.length] as NearMiss['category'],
  impact: (i % 4) + 1,
  what: text(500),
  consequence: text(500),
  cause: 'check',
  idea: text(500),
  recipientIds: [HEAD.id],
  status: 'decided',
  acknowledgedBy: HEAD.id,
  countermeasure: text(500),
  countermeasureOwner: text(100),
  decidedBy: HEAD.id,
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
  ...over,
});

/** A turn as a handler sees it; what it answers is collected. */
function turn(asker: Person, locale: Locale, args = '', value?: unknown): { ctx: HandlerContext; sent: OutgoingMessage[] } {
  const sent: OutgoingMessage[] = [];
  const ctx: HandlerContext = {
    tenantId: TENANT,
    person: asker,
    locale,
    t: translator(locale),
    text: args,
    args,
    mentions: [],
    value,
    sourceActivityId: value === undefined ? undefined : 'f:1234567890123456789',
    activityKey: 'a:conversation|1',
    sharedChat: false,
    reply: async (message) => {
      sent.push(message);
      return 'reply-id';
    },
    updateMessage: async (_id, message) => void sent.push(message),
    answerInPlace: async (message) => void sent.push(message),
  };
  return { ctx, sent };
}

const org = { listPeople: async () => PEOPLE } as unknown as KudosDeps['org'];
const clock = fixedClock(NOW);

function kudosDeps(): KudosDeps {
  const received: KudosRecord[] = Array.from({ length: 400 }, (_, i) => ({
    recipientId: MEMBER.id,
    senderId: PEOPLE[i * 7]?.id ?? 'U2M',
    day: '2026-10-01',
    submitId: `k${i}`,
    value: value(i),
    message: text(500),
    public: false,
    unit: BIG_UNIT,
    createdAt: NOW.toISOString(),
  }));
  const plus: PlusEntry[] = Array.from({ length: 80 }, (_, i) => ({
    memberId: MEMBER.id,
    managerId: HEAD.id,
    period: 'FY2026H2',
    day: '2026-10-01',
    submitId: `p${i}`,
    value: value(i),
    message: text(500),
    createdAt: NOW.toISOString(),
  }));
  // The sender's recent recipients: far more than the form lists, across the whole town.
  const recent = PEOPLE.filter((_, i) => i % 97 === 0).map((p) => p.id);
  const kudos = {
    received: async () => received,
    plusEntries: async () => plus,
    recentRecipients: async () => recent,
  } as unknown as KudosDeps['kudos'];
  return { kudos, org, clock, dailyLimit: 5 } as unknown as KudosDeps;
}

function oneononeDeps(): OneOnOneDeps {
  const pairs = (directoryPairs: { managerId: string; memberId: string }[]): Pair[] =>
    directoryPairs.map((p, i) => ({
      managerId: p.managerId,
      memberId: p.memberId,
      since: '2026-04-01',
      cadenceDays: 30,
      ...(i % 3 === 0 ? { ownCadenceDays: 14 } : {}),
    }));
  const meetings = {
    syncPairs: async (_tenantId: string, directoryPairs: { managerId: string; memberId: string }[]) => pairs(directoryPairs),
    listForPair: async () => [],
    // A third of the 課長's members have a 1on1 booked: their rows carry three buttons.
    listForManager: async () => big.filter((_, i) => i % 3 === 0).map((p, i) => meeting(p.id, i)),
    listUnitCadences: async () => new Map<string, number>(),
  };
  return { meetings, org, clock, reminderTimes: { get: async () => DEFAULT_REMINDER_TIMES } } as unknown as OneOnOneDeps;
}

async function answered(run: (ctx: HandlerContext) => Promise<void>, asker: Person, locale: Locale, args = '', value?: unknown): Promise<OutgoingMessage[]> {
  const { ctx, sent } = turn(asker, locale, args, value);
  await run(ctx);
  return sent;
}

type Build = (locale: Locale) => Promise<OutgoingMessage[]>;
const card = (c: Record<string, unknown>): OutgoingMessage[] => [{ card: c, summary: 'hibi' }];

/** One builder per template under cards/: what its handler sends at the largest. */
const BUILDERS: Record<string, Build> = {
  'checkin/morning': async (locale) => {
    const t = translator(locale);
    const overdue = Array.from({ length: 12 }, (_, i) => ({
      text: text(200),
      due: '2026-11-01',
      markDone: { verb: 'oneonone.action.done', managerId: HEAD.id, memberId: MEMBER.id, meetingId: meeting(MEMBER.id, i).meetingId, action: '0123456789ab' },
    }));
    const values = { priority: text(200), purpose: text(200), trouble: text(500), needHelp: 'true', condition: '3' };
    const errors = Object.fromEntries(Object.keys(values).map((f) => [f, t('checkin.formError')]));
    return card(renderCheckinForm('morning', DAY, t, locale, { values, errors }, overdue));
  },
  'checkin/evening': async (locale) => {
    const t = translator(locale);
    const values = { done: text(500), carryOver: text(500), overtime: '600', satisfaction: '5', learning: text(500) };
    const errors = Object.fromEntries(Object.keys(values).map((f) => [f, t('checkin.formError')]));
    return card(renderCheckinForm('evening', DAY, t, locale, { values, errors }));
  },
  'checkin/saved': async (locale) => {
    const answers = { priority: text(200), purpose: text(200), trouble: text(500), needHelp: true, condition: 3 };
    const record: CheckinRecord = {
      tenantId: TENANT,
      unit: BIG_UNIT,
      day: DAY,
      slot: 'morning',
      personId: MEMBER.id,
      answers,
      createdAt: NOW.toISOString(),
      updatedAt: '2026-11-25T01:30:00.000Z',
    };
    const overdue = Array.from({ length: 12 }, () => ({ text: text(200), due: '2026-11-01' }));
    return card(renderSavedCard(record, translator(locale), locale, text(300), overdue));
  },
  'checkin/help-request': async (locale) => {
    const answers = { priority: text(200), purpose: text(200), trouble: text(500), needHelp: true, condition: 3 };
    const record: CheckinRecord = {
      tenantId: TENANT,
      unit: BIG_UNIT,
      day: DAY,
      slot: 'morning',
      personId: MEMBER.id,
      answers,
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
    };
    return card(renderHelpRequestCard(MEMBER, record, translator(locale), locale, HEAD));
  },
  'checkin/summary': async (locale) => {
    // Half of 第1課 answered, each with a trouble at its limit (every third asking for help); 100 on leave.
    const records: CheckinRecord[] = big
      .filter((_, i) => i % 2 === 0)
      .map((p, i) => ({
        tenantId: TENANT,
        unit: BIG_UNIT,
        day: DAY,
        slot: 'morning',
        personId: p.id,
        answers: { priority: text(200), trouble: text(500), needHelp: i % 3 === 0, condition: 3 },
        createdAt: NOW.toISOString(),
        updatedAt: NOW.toISOString(),
        ...(i % 6 === 0 ? { helpTakenBy: HEAD.id } : {}),
      }));
    const leaves = new Set(big.filter((_, i) => i % 20 === 1).map((p) => p.id));
    const summary = summariseUnit(BIG_UNIT, DAY, 'morning', PEOPLE, records, leaves);
    const t = translator(locale);
    return card(
      renderSummaryCard(summary, t, locale, {
        title: t('checkin.summary.title.morning', { unit: BIG_UNIT }),
        answered: t('checkin.summary.answered'),
        notAnswered: t('checkin.summary.notAnswered'),
        onLeave: t('checkin.summary.onLeave'),
        average: t('checkin.summary.average.morning'),
        troubles: t('checkin.summary.troubles'),
        helpOpen: t('checkin.summary.helpOpen'),
      }),
    );
  },
  'checkin/settings': async (locale) => {
    // A team per 課 with hibi in two channels each.
    const channels = Array.from({ length: 200 }, (_, i) => ({
      channelId: 'msteams',
      serviceUrl: 'https://smba.trafficmanager.net/jp/',
      conversationId: `19:${'c'.repeat(32)}${i}@thread.tacv2`,
      botId: '28:bot',
      teamId: `19:${'t'.repeat(32)}${Math.floor(i / 2)}@thread.tacv2`,
      ownerChannelId: `19:${'c'.repeat(32)}${i}@thread.tacv2`,
      teamName: `第${Math.floor(i / 2) + 1}課`,
      channelName: i % 2 === 0 ? '一般' : '朝会・夕会',
    }));
    const deps = { org, schedules: { get: async () => DEFAULT_SCHEDULE }, references: { listChannels: async () => channels } } as unknown as SettingsDeps;
    return answered((ctx) => checkinSettingsHandlers(deps).command.handle(ctx), HR, locale, BIG_UNIT);
  },
  'help/help': async (locale) => {
    const t = translator(locale);
    const commands = (Object.keys(ja) as MessageKey[]).filter((k) => k.startsWith('help.cmd.')).map((k) => ({ example: text(30), description: t(k) }));
    return card(
      renderHelpCard({
        title: t('help.title'),
        notice: t('help.unknownCommand', { text: text(41) }),
        intro: t('help.intro', { name: HEAD.name }),
        commandsHeading: t('help.commands'),
        commands,
        footer: t('help.footer'),
      }),
    );
  },
  'kpi/summary': async (locale) => {
    const sample = sampleKpiReport();
    const byUnit = Array.from({ length: 100 }, (_, i) => ({
      unit: `第${i + 1}課`,
      pairs: 99,
      pairsHeldWithinCadence: 90,
      completionRate: i % 10 === 0 ? null : 0.9,
    }));
    return card(renderKpiSummaryCard({ ...sample, oneonones: { ...sample.oneonones, byUnit } }, locale));
  },
  'kudos/digest': async (locale) => {
    const t = translator(locale);
    const records = Array.from({ length: 2_000 }, (_, i) => ({ value: value(i) }));
    return card(
      renderDigestCard(
        t('kudos.digest.unitTitle', { unit: BIG_UNIT, month: '2026年10月' }),
        t('kudos.digest.unitIntro', { unit: BIG_UNIT, month: '2026年10月', count: 2_000 }),
        records,
        t('kudos.digest.unitFooter'),
        t,
      ),
    );
  },
  'kudos/form': async (locale) => {
    const route = kudosHandlers(kudosDeps());
    const opened = await answered((ctx) => route.command.handle(ctx), MEMBER, locale, '');
    // A refused card comes back with ten recipients chosen by type-ahead from all over the town.
    const chosen = PEOPLE.filter((_, i) => i % 1_000 === 500).map((p) => p.id);
    const refused = await answered((ctx) => route.verb.handle(ctx), MEMBER, locale, '', {
      verb: 'kudos.send',
      submitId: 'k-size',
      recipients: chosen.join(','),
      value: 'team',
      message: '',
      public: 'false',
    });
    return [...opened, ...refused];
  },
  'kudos/plus-choose': async (locale) => answered((ctx) => plusHandlers(kudosDeps()).command.handle(ctx), HEAD, locale, ''),
  'kudos/plus': async (locale) =>
    answered((ctx) => plusHandlers(kudosDeps()).verb.handle(ctx), HEAD, locale, '', { verb: 'kudos.plus.show', memberId: MEMBER.id }),
  'kudos/public': async (locale) => card(renderPublicCard(HEAD, big.slice(0, 10), 'team', text(500), translator(locale))),
  'kudos/received': async (locale) => card(renderReceivedCard(HEAD, 'team', text(500), translator(locale))),
  'kudos/sent': async (locale) => {
    const t = translator(locale);
    return card(
      renderSentCard(
        t('kudos.sent', {
          names: big
            .slice(0, 10)
            .map((p) => p.name)
            .join('、'),
          value: 'チーム志向',
        }),
        big.slice(0, 10),
        'team',
        text(500),
        [text(300), text(300), text(300)],
        t,
      ),
    );
  },
  'nearmiss/digest': async (locale) =>
    card(
      renderNearmissDigest(
        '2026-10',
        Array.from({ length: 600 }, (_, i) => report(i)),
        translator(locale),
      ),
    ),
  'nearmiss/list': async (locale) =>
    card(
      renderList(
        Array.from({ length: 20 }, (_, i) => report(i)),
        5_000,
        translator(locale),
        locale,
      ),
    ),
  'nearmiss/report-view': async (locale) => {
    const t = translator(locale);
    const decideState = {
      values: { countermeasure: text(500), owner: text(100) },
      errors: { countermeasure: t('nearmiss.formError'), owner: t('nearmiss.formError') },
    };
    return card(renderReportView(report(0, { status: 'acknowledged' }), t, locale, { reporter: MEMBER, byId, canAct: true, decideState }));
  },
  'nearmiss/report': async (locale) => {
    const t = translator(locale);
    const values = {
      date: DAY,
      time: '09:00',
      category: 'counter',
      what: text(500),
      consequence: text(500),
      impact: '4',
      cause: 'check',
      idea: text(500),
      anonymous: 'true',
    };
    return card(
      renderReportForm(NOW, t, locale, 'nm-form-1', { values, errors: Object.fromEntries(Object.keys(values).map((f) => [f, t('nearmiss.formError')])) }),
    );
  },
  'nearmiss/thanks': async (locale) => card(renderThanks('NM-2026-0001', text(300), translator(locale))),
  'ojt/list': async (locale) =>
    card(
      renderJuniorList(
        big.slice(0, 300).map((junior, i) => ({ junior, plan: ojtPlan(junior.id), onTrack: i % 2 === 0 })),
        translator(locale),
        locale,
      ),
    ),
  'ojt/plan': async (locale) => {
    const t = translator(locale);
    const values = Object.fromEntries(PLAN_FIELDS.map((f) => [f, f.endsWith('Due') ? '2026-12-01' : text(f === 'goals' ? 500 : 200)]));
    const errors = Object.fromEntries(PLAN_FIELDS.map((f) => [f, t('ojt.error.noStep')]));
    return card(renderPlanForm(MEMBER, 'ojt-form-1', ojtPlan(MEMBER.id), { values, errors }, t));
  },
  'ojt/plan-view': async (locale) => {
    const last = {
      tenantId: TENANT,
      juniorId: MEMBER.id,
      month: '2026-11',
      mentorId: HEAD.id,
      doneSteps: [1, 2, 3, 4, 5, 6, 7, 8],
      comment: text(500),
      recordedOn: DAY,
      updatedAt: NOW.toISOString(),
    };
    return card(renderPlanView({ plan: ojtPlan(MEMBER.id), junior: MEMBER, mentor: HEAD, last, note: text(100), forMentor: true }, translator(locale), locale));
  },
  'ojt/progress': async (locale) => {
    const t = translator(locale);
    const values = { comment: text(500), ...Object.fromEntries(STEP_ROWS.map((n) => [`step${n}Done`, 'true'])) };
    return card(
      renderProgressForm(
        { plan: ojtPlan(MEMBER.id), junior: MEMBER, month: '2026-11', note: text(100) },
        { values, errors: { comment: t('ojt.progress.formError') } },
        t,
        locale,
      ),
    );
  },
  'oneonone/agenda': async (locale) => {
    const t = translator(locale);
    const m = meeting(MEMBER.id);
    const openActions = fullRecord().actions.map((a) => ({
      line: text(260),
      canMark: true,
      markDone: { verb: 'oneonone.action.done', managerId: HEAD.id, memberId: MEMBER.id, meetingId: m.meetingId, action: a.text.slice(0, 12) },
    }));
    const agenda = { topics: text(500), progress: text(500), worries: text(500) };
    const state = { values: agenda, errors: { topics: t('oneonone.formError'), progress: t('oneonone.formError'), worries: t('oneonone.formError') } };
    const ojt = {
      heading: text(100),
      facts: [
        { label: text(10), value: text(500) },
        { label: text(10), value: text(230) },
        { label: text(10), value: text(530) },
      ],
    };
    return card(renderAgendaCard({ meeting: m, manager: HEAD, heading: text(100), agenda, openActions, note: text(200), ojt }, state, t));
  },
  'oneonone/cadence': async (locale) => answered((ctx) => oneononeHandlers(oneononeDeps()).command.handle(ctx), HEAD, locale, '設定'),
  'oneonone/digest': async (locale) => {
    const t = translator(locale);
    const pairs = pairsFromDirectory(PEOPLE).filter((p) => p.managerId === HEAD.id);
    const own = pairs.map((p) => viewPair({ ...p, since: '2026-01-01', cadenceDays: 30 }, person(p.memberId), [], DAY));
    const escalated = own.slice(0, 500).map((view) => ({ view, manager: person('U30M') }));
    return card(renderOneononeDigest(DAY, own, escalated, t, locale));
  },
  'oneonone/overview': async (locale) => answered((ctx) => oneononeHandlers(oneononeDeps()).command.handle(ctx), HEAD, locale, ''),
  'oneonone/record-view': async (locale) => {
    const m = { ...meeting(MEMBER.id), status: 'held' as const, heldDay: DAY, confirmedAt: NOW.toISOString() };
    const texts = { agenda: { topics: text(500), progress: text(500), worries: text(500) }, record: fullRecord(), comment: text(500) };
    return card(renderRecordView({ meeting: m, viewerId: MEMBER.id, other: HEAD, member: MEMBER, texts, canConfirm: true }, translator(locale), locale));
  },
  'oneonone/record': async (locale) => {
    const t = translator(locale);
    const texts = { agenda: { topics: text(500), progress: text(500), worries: text(500) }, record: fullRecord() };
    const errors = {
      good: t('oneonone.formError'),
      action1Text: t('oneonone.formError'),
      action2Due: t('oneonone.formError'),
      action3Owner: t('oneonone.formError'),
    };
    return card(renderRecordForm(meeting(MEMBER.id), MEMBER, texts, { values: {}, errors }, t, locale));
  },
  'oneonone/reminder': async (locale) => {
    const t = translator(locale);
    const ojt = {
      heading: text(100),
      facts: [
        { label: text(10), value: text(500) },
        { label: text(10), value: text(230) },
        { label: text(10), value: text(530) },
      ],
    };
    return card(renderReminderCard(text(100), meeting(MEMBER.id), MEMBER, { topics: text(500), progress: text(500), worries: text(500) }, t, ojt));
  },
  'oneonone/schedule': async (locale) => {
    const t = translator(locale);
    const state = {
      values: { date: DAY, time: '14:00', length: '60' },
      errors: { date: t('oneonone.formError'), time: t('oneonone.formError'), length: t('oneonone.formError') },
    };
    return card(
      renderScheduleForm(
        { member: MEMBER, memberId: MEMBER.id, meetingId: meeting(MEMBER.id).meetingId, today: DAY, warning: text(200), formError: text(200) },
        state,
        t,
      ),
    );
  },
  'oneonone/scheduled': async (locale) => card(renderScheduledCard(meeting(MEMBER.id), MEMBER, translator(locale), locale)),
  'oneonone/times': async (locale) => answered((ctx) => oneononeHandlers(oneononeDeps()).command.handle(ctx), HR, locale, '設定 時刻'),
  'survey/done': async () => card(largestDone()),
  'survey/form': async (locale) => card(largestForm(locale)),
  'survey/results': async (locale) => card(largestResults(locale)),
  'survey/texts': async (locale) => card(largestTexts(locale)),
  'training/attendance': async (locale) => {
    const t = translator(locale);
    const errors = { answer: t('training.error.choice'), note: t('form.error.max', { max: 200, length: 201 }) };
    const state = {
      values: { answer: 'missed', note: text(200) },
      errors,
      savedLine: text(100),
      hrLine: t('training.attendance.hrRecorded', { answer: t('training.attendance.attended') }),
    };
    return card(renderAttendanceForm(sizedTraining(0), t, locale, state));
  },
  'training/notice': async (locale) => card(renderNotice('changed', sizedTraining(0), translator(locale), locale)),
  // Five required trainings with names at their limit, attended by nobody: HR's town list and the 課長's 課 of 2,000.
  'training/pending': async (locale) => {
    const deps = { trainings: { list: async () => [0, 1, 2, 3, 4].map(sizedTraining), listAttendance: async () => [] }, org, clock } as unknown as TrainingDeps;
    const route = trainingHandlers(deps).command;
    return [...(await answered((ctx) => route.handle(ctx), HR, locale, '')), ...(await answered((ctx) => route.handle(ctx), HEAD, locale, ''))];
  },
  // Every 課 of the town to choose from, refused with an error on every field and the longest name.
  'training/register': async (locale) => {
    const t = translator(locale);
    const units = [...new Set(PEOPLE.map((p) => p.unit ?? ''))].filter(Boolean);
    const values = {
      name: text(100),
      start: DAY,
      end: DAY,
      kind: 'offjt',
      units: units.join(','),
      roles: 'manager,chief,senior,lead,staff,appointee',
      required: 'true',
    };
    return card(renderRegisterForm(units, 3, t, { values, errors: Object.fromEntries(Object.keys(values).map((f) => [f, t('training.register.formError')])) }));
  },
};

/** A required training for the whole town with its name at the limit, over before NOW. */
function sizedTraining(i: number): Training {
  return {
    tenantId: TENANT,
    id: `TR-2026102${i}-abcdef`,
    name: text(100),
    startDay: `2026-10-2${i}`,
    endDay: `2026-10-2${i}`,
    kind: 'offjt',
    units: [],
    roles: [],
    required: true,
    revision: 2,
    invitedRevision: 2,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
  };
}

/** Messages that are not a card template but list people all the same. */
const LISTS: Record<string, Build> = {
  'reach: 未インストール (the town)': async (locale) => answered((ctx) => notInstalledRoute(reachDeps()).handle(ctx), HR, locale, ''),
  'reach: 未インストール 第1課 (2,000 people, none installed)': async (locale) =>
    answered((ctx) => notInstalledRoute(reachDeps()).handle(ctx), HR, locale, BIG_UNIT),
};

function reachDeps(): ReachDeps {
  // Nobody in 第1課 and a third of everyone else has opened hibi's chat; a few refused it.
  const withChat = new Set(PEOPLE.filter((p, i) => p.unit !== BIG_UNIT && i % 3 !== 0).map((p) => p.id));
  const refused = PEOPLE.filter((p, i) => withChat.has(p.id) && i % 50 === 1).map((p) => ({
    recipient: { kind: 'person', personId: p.id },
    code: 'MessageWritesBlocked',
    at: NOW.toISOString(),
  }));
  return { org, references: { listPersonIds: async () => withChat }, reachability: { list: async () => refused }, clock } as unknown as ReachDeps;
}

/** The activity Teams receives, with a conversation reference as long as Teams' own. */
function activityOf(message: OutgoingMessage): object {
  return {
    ...toActivity(message),
    id: '1'.repeat(13),
    timestamp: NOW.toISOString(),
    channelId: 'msteams',
    serviceUrl: `https://smba.trafficmanager.net/jp/${TENANT}/`,
    conversation: { id: `a:${'x'.repeat(150)}`, conversationType: 'personal', tenantId: TENANT },
    from: { id: `28:${benchAadObjectId('bot')}`, name: 'hibi' },
    recipient: { id: `29:${'y'.repeat(120)}`, aadObjectId: benchAadObjectId('someone'), name: text(100) },
    replyToId: 'f:1234567890123456789',
    locale: 'ja-JP',
  };
}

function templates(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return templates(full);
    return name.endsWith('.card.json')
      ? [
          path
            .relative(CARDS_DIR, full)
            .replace(/\.card\.json$/, '')
            .split(path.sep)
            .join('/'),
        ]
      : [];
  });
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

describe('every message stays under 40 KB of UTF-16 in a town of 10,000', () => {
  const names = templates(CARDS_DIR).sort();

  it('has a size case and a name for every template under cards/', () => {
    expect(names.length).toBeGreaterThan(0);
    expect(Object.keys(BUILDERS).sort()).toEqual(names);
    expect(Object.keys(CARD_TEMPLATES).sort()).toEqual(names);
    for (const name of names) expect(CARD_TEMPLATES[name]).toEqual(JSON.parse(readFileSync(path.join(CARDS_DIR, `${name}.card.json`), 'utf8')));
  });

  const cases = [
    ...names.map((name) => [`${name}.card.json`, name, BUILDERS[name]] as const),
    ...Object.entries(LISTS).map(([name, build]) => [name, name, build] as const),
  ];
  async function check(label: string, build: Build, locale: Locale): Promise<void> {
    const messages = await build(locale);
    expect(messages.length).toBeGreaterThan(0);
    const sizes = messages.map((m) => utf16Bytes(activityOf(m)));
    if (sizes.some((s) => s >= MESSAGE_LIMIT_BYTES)) throw new Error(`${label} (${locale}): ${sizes.map(kb).join(', ')}, limit ${kb(MESSAGE_LIMIT_BYTES)}`);
  }
  for (const locale of ['ja', 'en'] as const) {
    for (const [label, , build] of cases) it(`${label} (${locale})`, () => check(label, build as Build, locale));
  }
});

/** Every TextBlock text of a card, in order. */
function texts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(texts);
  if (typeof node !== 'object' || node === null) return [];
  const element = node as Record<string, unknown>;
  return [...(element.type === 'TextBlock' && typeof element.text === 'string' ? [element.text] : []), ...Object.values(element).flatMap(texts)];
}
const cardOf = (message: OutgoingMessage | undefined): Record<string, unknown> => (message && 'card' in message ? message.card : {});
const textOf = (message: OutgoingMessage | undefined): string => (message && 'text' in message ? message.text : '');

describe('a list cut to fit says what it left out; a paged one reaches everyone', () => {
  it('the kudos form lists at most 40: recipients already chosen, then recent ones, then the sender’s manager and 課', () => {
    const chosen = ['U90G1P1', 'U91G1P1'];
    const recent = PEOPLE.filter((_, i) => i % 97 === 0).map((p) => p.id);
    const listed = formRecipients(MEMBER, PEOPLE, recent, chosen).map((p) => p.id);
    expect(listed).toHaveLength(LISTED_RECIPIENTS);
    expect(listed).toEqual(expect.arrayContaining([...chosen, ...recent.slice(0, 15), HEAD.id]));
    expect(listed).not.toContain(MEMBER.id);
    const rest = listed.filter((id) => !chosen.includes(id) && !recent.includes(id));
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.every((id) => person(id).unit === BIG_UNIT)).toBe(true);
  });

  it('the check-in summary counts everyone, lists open help first, and says how many troubles and names it left out', async () => {
    const [message] = await BUILDERS['checkin/summary']!('ja');
    const lines = texts(cardOf(message));
    expect(JSON.stringify(cardOf(message))).toContain('"value":"1000 / 2000"');
    const troubles = lines.filter((l) => / U1?\d*G\d+[SP]\d*: /.test(l));
    expect(troubles.length).toBeGreaterThan(5);
    expect(troubles[0]).toContain('まだ対応者がいません');
    const hidden = Number(/ほかに困りごとが (\d+)件/.exec(lines.join('\n'))?.[1]);
    expect(troubles.length + hidden).toBe(1_000);
    expect(lines).toContain('未回答: 900名');
  });

  it('the 1on1 overview lists the most urgent members that fit and counts the rest by status', async () => {
    const [message] = await BUILDERS['oneonone/overview']!('ja');
    const card = cardOf(message) as { body: { type: string; $data?: unknown; items?: unknown }[] };
    const rows = card.body.filter((e) => e.type === 'Container').length;
    const more = /ほか (\d+)人（期限超過 (\d+)人・期限内 (\d+)人・予定あり (\d+)人）/.exec(texts(card).join('\n'));
    expect(rows).toBeGreaterThan(10);
    expect(rows + Number(more?.[1])).toBe(1_999);
    expect(Number(more?.[2]) + Number(more?.[3]) + Number(more?.[4])).toBe(Number(more?.[1]));
  });

  it('未インストール <課> pages through everyone of a 課 of 2,000, once each', async () => {
    const named: string[] = [];
    for (let page = 1; page < 10; page++) {
      const [message] = await answered((ctx) => notInstalledRoute(reachDeps()).handle(ctx), HR, 'ja', `${BIG_UNIT} ${page}`);
      const text = textOf(message);
      named.push(...(/未インストール: (.*)/.exec(text)?.[1] ?? '').split('、').filter(Boolean));
      if (!text.includes(`続きは「未インストール ${BIG_UNIT} ${page + 1}」`)) break;
    }
    expect(named.sort()).toEqual(big.map((p) => p.name).sort());
    const [town] = await answered((ctx) => notInstalledRoute(reachDeps()).handle(ctx), HR, 'ja', '');
    expect(textOf(town)).toContain(`ほか 1980名（全員は「未インストール ${BIG_UNIT}」）`);
    const [beyond] = await answered((ctx) => notInstalledRoute(reachDeps()).handle(ctx), HR, 'ja', `${BIG_UNIT} ９`);
    expect(textOf(beyond)).toMatch(/第1課 の一覧は \d ページまでです/);
  });
});

describe('the outbox names a card too large to send, and nothing of what it holds', () => {
  function outbox(): { outbox: Outbox; created: unknown[] } {
    const created: unknown[] = [];
    const repository = {
      create: async (entity: unknown) => {
        created.push(entity);
        return true;
      },
      touchDay: async () => undefined,
    } as unknown as OutboxRepository;
    return { outbox: new Outbox(repository, clock), created };
  }
  const secret = '秘密の困りごと';
  const bloated = (): Record<string, unknown> =>
    renderCard(CARD_TEMPLATES['checkin/summary'] as object, {
      title: secret,
      dayLabel: DAY,
      counts: [],
      troublesHeading: 'x',
      troubles: Array.from({ length: 80 }, () => ({ line: `${secret}${text(300)}` })),
      notAnsweredLine: '',
    });

  it('refuses the whole batch, naming the template, its size and the kind of send; writes nothing', async () => {
    const { outbox: box, created } = outbox();
    const small = {
      tenantId: TENANT,
      day: DAY,
      key: `checkin.summary|morning|${BIG_UNIT}|U1M`,
      recipient: { kind: 'person' as const, personId: 'U1M' },
      message: { text: 'ok' },
    };
    const large = { ...small, key: 'checkin.summary|morning|第1課|U1M-secret', message: { card: bloated(), summary: secret } };
    const failure = await box.enqueue([small, large]).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure?.message).toMatch(/card checkin\/summary is \d+\.\d KB .*limit 36 KB.*checkin\.summary/);
    expect(failure?.message).not.toContain(secret);
    expect(failure?.message).not.toContain('U1M');
    expect(created).toEqual([]);
  });

  it('a card not made from a template is still refused, as an unnamed card', async () => {
    const { outbox: box } = outbox();
    const card = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: text(20_000) }] };
    await expect(box.enqueue([{ tenantId: TENANT, day: DAY, key: 'kind|x', recipient: { kind: 'person', personId: 'x' }, message: { card } }])).rejects.toThrow(
      /unnamed card/,
    );
  });

  it('sends what fits', async () => {
    const { outbox: box, created } = outbox();
    await box.enqueue([{ tenantId: TENANT, day: DAY, key: 'kind|x', recipient: { kind: 'person', personId: 'x' }, message: { text: text(17_000) } }]);
    expect(created).toHaveLength(1);
  });
});
