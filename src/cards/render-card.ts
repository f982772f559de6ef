import * as ACData from 'adaptivecards-templating';
import checkinEvening from '../../cards/checkin/evening.card.json';
import checkinHelpRequest from '../../cards/checkin/help-request.card.json';
import checkinMorning from '../../cards/checkin/morning.card.json';
import checkinSaved from '../../cards/checkin/saved.card.json';
import checkinSettings from '../../cards/checkin/settings.card.json';
import checkinSummary from '../../cards/checkin/summary.card.json';
import help from '../../cards/help/help.card.json';
import kpiSummary from '../../cards/kpi/summary.card.json';
import kudosDigest from '../../cards/kudos/digest.card.json';
import kudosForm from '../../cards/kudos/form.card.json';
import kudosPlusChoose from '../../cards/kudos/plus-choose.card.json';
import kudosPlus from '../../cards/kudos/plus.card.json';
import kudosPublic from '../../cards/kudos/public.card.json';
import kudosReceived from '../../cards/kudos/received.card.json';
import kudosSent from '../../cards/kudos/sent.card.json';
import nearmissDigest from '../../cards/nearmiss/digest.card.json';
import nearmissList from '../../cards/nearmiss/list.card.json';
import nearmissReportView from '../../cards/nearmiss/report-view.card.json';
import nearmissReport from '../../cards/nearmiss/report.card.json';
import nearmissThanks from '../../cards/nearmiss/thanks.card.json';
import ojtList from '../../cards/ojt/list.card.json';
import ojtPlanView from '../../cards/ojt/plan-view.card.json';
import ojtPlan from '../../cards/ojt/plan.card.json';
import ojtProgress from '../../cards/ojt/progress.card.json';
import oneononeAgenda from '../../cards/oneonone/agenda.card.json';
import oneononeCadence from '../../cards/oneonone/cadence.card.json';
import oneononeDigest from '../../cards/oneonone/digest.card.json';
import oneononeOverview from '../../cards/oneonone/overview.card.json';
import oneononeRecordView from '../../cards/oneonone/record-view.card.json';
import oneononeRecord from '../../cards/oneonone/record.card.json';
import oneononeReminder from '../../cards/oneonone/reminder.card.json';
import oneononeSchedule from '../../cards/oneonone/schedule.card.json';
import oneononeScheduled from '../../cards/oneonone/scheduled.card.json';
import oneononeTimes from '../../cards/oneonone/times.card.json';
import surveyDone from '../../cards/survey/done.card.json';
import surveyForm from '../../cards/survey/form.card.json';
import surveyResults from '../../cards/survey/results.card.json';
import surveyTexts from '../../cards/survey/texts.card.json';
import trainingAttendance from '../../cards/training/attendance.card.json';
import trainingNotice from '../../cards/training/notice.card.json';
import trainingPending from '../../cards/training/pending.card.json';
import trainingRegister from '../../cards/training/register.card.json';

type Card = Record<string, unknown>;

/**
 * Every template under cards/, by its path there without `.card.json`: a card too large to send is
 * named by its template, never by what it holds. test/unit/card-sizes.test.ts fails for a template
 * missing here.
 */
export const CARD_TEMPLATES: Readonly<Record<string, object>> = {
  'checkin/evening': checkinEvening,
  'checkin/help-request': checkinHelpRequest,
  'checkin/morning': checkinMorning,
  'checkin/saved': checkinSaved,
  'checkin/settings': checkinSettings,
  'checkin/summary': checkinSummary,
  'help/help': help,
  'kpi/summary': kpiSummary,
  'kudos/digest': kudosDigest,
  'kudos/form': kudosForm,
  'kudos/plus-choose': kudosPlusChoose,
  'kudos/plus': kudosPlus,
  'kudos/public': kudosPublic,
  'kudos/received': kudosReceived,
  'kudos/sent': kudosSent,
  'nearmiss/digest': nearmissDigest,
  'nearmiss/list': nearmissList,
  'nearmiss/report-view': nearmissReportView,
  'nearmiss/report': nearmissReport,
  'nearmiss/thanks': nearmissThanks,
  'ojt/list': ojtList,
  'ojt/plan-view': ojtPlanView,
  'ojt/plan': ojtPlan,
  'ojt/progress': ojtProgress,
  'oneonone/agenda': oneononeAgenda,
  'oneonone/cadence': oneononeCadence,
  'oneonone/digest': oneononeDigest,
  'oneonone/overview': oneononeOverview,
  'oneonone/record-view': oneononeRecordView,
  'oneonone/record': oneononeRecord,
  'oneonone/reminder': oneononeReminder,
  'oneonone/schedule': oneononeSchedule,
  'oneonone/scheduled': oneononeScheduled,
  'oneonone/times': oneononeTimes,
  'survey/done': surveyDone,
  'survey/form': surveyForm,
  'survey/results': surveyResults,
  'survey/texts': surveyTexts,
  'training/attendance': trainingAttendance,
  'training/notice': trainingNotice,
  'training/pending': trainingPending,
  'training/register': trainingRegister,
};

const templateNames = new Map<object, string>(Object.entries(CARD_TEMPLATES).map(([name, template]) => [template, name]));
/** Each card renderCard returned, with its template's name; weak, so a sent card is not kept. */
const renderedNames = new WeakMap<object, string>();

/** The template a card was rendered from (`kudos/form`), when renderCard made it from a known one. */
export function cardNameOf(card: object): string | undefined {
  return renderedNames.get(card);
}

/**
 * Teams refuses a bot message above about 100 KB of UTF-16 (413 MessageSizeTooBig), recommends under
 * 80 KB, and older guidance said 40 KB: hibi keeps every activity it sends under the last.
 */
export const MESSAGE_LIMIT_BYTES = 40 * 1024;
/** What a message (card and summary, or text) may take; the rest is the activity around it (ids, conversation). */
export const MESSAGE_BUDGET_BYTES = 36 * 1024;
/** What a card lists people or reports up to: leaves room for the message's summary. */
export const CARD_BUDGET_BYTES = 32 * 1024;

/** Bytes of a value's JSON in UTF-16, as Teams counts a message. */
export function utf16Bytes(value: unknown): number {
  return JSON.stringify(value).length * 2;
}

/**
 * A Template parses every `${...}` of its card when it is built, which costs far more than binding
 * data to it; the card templates are module constants, so each is parsed once. expand() is
 * synchronous, so one Template serves every turn.
 */
const parsed = new WeakMap<object, ACData.Template>();

function templateOf(template: object): ACData.Template {
  let ready = parsed.get(template);
  if (!ready) {
    ready = new ACData.Template(template);
    parsed.set(template, ready);
  }
  return ready;
}

/**
 * Binds an Adaptive Card template to its data. Templates hold layout only; every word a person
 * reads arrives in `data`, already translated.
 */
export function renderCard<T extends object>(template: object, data: T): Card {
  const bound: unknown = templateOf(template).expand({ $root: data });
  if (typeof bound !== 'object' || bound === null) throw new Error('card template did not expand to an object');
  const name = templateNames.get(template);
  if (name) renderedNames.set(bound, name);
  return bound as Card;
}

/**
 * A card listing the first `shown` of `total` items, as many as fit `budgetBytes`: all of them when
 * they fit, else the most found by doubling then bisection, so only cards near the budget are ever
 * rendered, never the whole list. `render(shown)` says what it left out ("and N more"); a card that
 * does not fit even with none listed comes back as render(0).
 */
export function renderFitting(total: number, render: (shown: number) => Card, budgetBytes = CARD_BUDGET_BYTES): { card: Card; shown: number } {
  const fits = (card: Card): boolean => utf16Bytes(card) <= budgetBytes;
  let best = { card: render(0), shown: 0 };
  if (total === 0 || !fits(best.card)) return best;
  let tooMany = 0;
  for (let probe = Math.min(total, 8); ; probe = Math.min(total, probe * 2)) {
    const card = render(probe);
    if (!fits(card)) {
      tooMany = probe;
      break;
    }
    best = { card, shown: probe };
    if (probe === total) return best;
  }
  let low = best.shown;
  let high = tooMany;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    const card = render(middle);
    if (fits(card)) {
      best = { card, shown: middle };
      low = middle;
    } else {
      high = middle;
    }
  }
  return best;
}
