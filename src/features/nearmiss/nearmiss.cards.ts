import digestTemplate from '../../../cards/nearmiss/digest.card.json';
import listTemplate from '../../../cards/nearmiss/list.card.json';
import reportViewTemplate from '../../../cards/nearmiss/report-view.card.json';
import reportTemplate from '../../../cards/nearmiss/report.card.json';
import thanksTemplate from '../../../cards/nearmiss/thanks.card.json';
import { tokyoDay } from '../../calendar/office-calendar';
import { renderCard, renderFitting } from '../../cards/render-card';
import { formatDate, formatTime, type Locale, type MessageKey, type Translate } from '../../i18n/i18n';
import type { FormState } from '../../shared/card-form';
import type { Person } from '../../directory/org.schema';
import { CATEGORIES, CAUSES, DECIDE_FIELDS, IMPACTS, REPORT_FIELDS, type NearMiss } from './nearmiss.schema';

const blankErrors = (fields: readonly string[], state?: FormState): Record<string, string> =>
  Object.fromEntries(fields.map((f) => [f, state?.errors[f] ?? '']));

/**
 * The report form; empty, it starts at now, and refused, it comes back as typed with the problems.
 * `formId` stays the same across those returns, so however often the card is sent it files one report.
 */
export function renderReportForm(now: Date, t: Translate, locale: Locale, formId: string, state?: FormState): Record<string, unknown> {
  const blank: Record<string, string> = { ...Object.fromEntries(REPORT_FIELDS.map((f) => [f, ''])), anonymous: 'false' };
  const today = tokyoDay(now);
  return renderCard(reportTemplate, {
    title: t('nearmiss.title'),
    intro: t('nearmiss.intro'),
    formId,
    formError: state ? t('nearmiss.formError') : '',
    today,
    values: { ...blank, date: today, time: formatTime(now, locale), ...(state?.values ?? {}) },
    errors: blankErrors(REPORT_FIELDS, state),
    labels: {
      date: t('nearmiss.field.date'),
      time: t('nearmiss.field.time'),
      category: t('nearmiss.field.category'),
      choose: t('nearmiss.choose'),
      what: t('nearmiss.field.what'),
      consequence: t('nearmiss.field.consequence'),
      impact: t('nearmiss.field.impact'),
      cause: t('nearmiss.field.cause'),
      idea: t('nearmiss.field.idea'),
      anonymous: t('nearmiss.field.anonymous'),
      anonymousNote: t('nearmiss.anonymousNote'),
      requiredHint: t('nearmiss.requiredHint'),
      submit: t('nearmiss.submit'),
    },
    categories: CATEGORIES.map((c) => ({ title: t(`nearmiss.category.${c}`), value: c })),
    impacts: IMPACTS.map((i) => ({ title: t(`nearmiss.impact.${i}`), value: i })),
    causes: CAUSES.map((c) => ({ title: t(`nearmiss.cause.${c}`), value: c })),
  });
}

export function renderThanks(id: string, note: string, t: Translate): Record<string, unknown> {
  return renderCard(thanksTemplate, { title: t('nearmiss.thanks.title'), numberLine: t('nearmiss.thanks.number', { id }), note });
}

export function occurredLabel(report: NearMiss, locale: Locale): string {
  const at = new Date(report.occurredAt);
  return `${formatDate(at, locale)} ${formatTime(at, locale)}`;
}

/** Who filed it, as the recipients see it; an anonymous report names only the unit. */
export function reporterLine(report: NearMiss, reporter: Person | undefined, t: Translate): string {
  if (report.anonymous || !reporter) return t('nearmiss.view.anonymous', { unit: report.unit });
  const unit = [reporter.unit, reporter.group].filter(Boolean).join(' ');
  return t('nearmiss.view.who', { unit, role: t(`role.${reporter.role}` as MessageKey), name: reporter.name });
}

export interface ViewOptions {
  reporter: Person | undefined;
  byId: ReadonlyMap<string, Person>;
  /** Only people the report was routed to get the buttons. */
  canAct: boolean;
  decideState?: FormState;
}

/** The report as its recipients (and, without buttons, HR and the reporter) see it; updated in place at each step. */
export function renderReportView(report: NearMiss, t: Translate, locale: Locale, options: ViewOptions): Record<string, unknown> {
  const facts = [
    { label: t('nearmiss.field.occurredAt'), value: occurredLabel(report, locale) },
    { label: t('nearmiss.field.category'), value: t(`nearmiss.category.${report.category}`) },
    { label: t('nearmiss.field.impact'), value: t(`nearmiss.impact.${report.impact}` as MessageKey) },
    { label: t('nearmiss.field.whatShort'), value: report.what },
    { label: t('nearmiss.field.consequence'), value: report.consequence ?? '' },
    { label: t('nearmiss.field.cause'), value: report.cause ? t(`nearmiss.cause.${report.cause}`) : '' },
    { label: t('nearmiss.field.idea'), value: report.idea ?? '' },
    { label: t('nearmiss.field.countermeasure'), value: report.countermeasure ?? '' },
    { label: t('nearmiss.field.owner'), value: report.countermeasureOwner ?? '' },
  ].filter((f) => f.value !== '');
  const nameOf = (id: string | undefined): string => (id ? (options.byId.get(id)?.name ?? '') : '');
  const steps = [
    report.acknowledgedBy ? t('nearmiss.view.acknowledgedBy', { name: nameOf(report.acknowledgedBy) }) : '',
    report.decidedBy ? t('nearmiss.view.decidedBy', { name: nameOf(report.decidedBy) }) : '',
  ].filter(Boolean);
  const open = report.status === 'received' || report.status === 'acknowledged';
  return renderCard(reportViewTemplate, {
    id: report.id,
    title: t('nearmiss.view.title', { id: report.id }),
    who: reporterLine(report, options.reporter, t),
    statusLine: [t('nearmiss.view.status', { status: t(`nearmiss.status.${report.status}`) }), ...steps].join('　'),
    facts,
    note: report.anonymous ? t('nearmiss.view.anonymousNote') : '',
    canAck: options.canAct && report.status === 'received',
    canDecide: options.canAct && open,
    values: Object.fromEntries(DECIDE_FIELDS.map((f) => [f, options.decideState?.values[f] ?? ''])),
    errors: blankErrors(DECIDE_FIELDS, options.decideState),
    labels: {
      ack: t('nearmiss.ack'),
      decide: t('nearmiss.decide'),
      countermeasure: t('nearmiss.field.countermeasure'),
      owner: t('nearmiss.field.owner'),
      requiredHint: t('nearmiss.requiredHint'),
      save: t('nearmiss.save'),
    },
  });
}

/** The newest reports the asker may see; a row opens the full report. */
export function renderList(reports: readonly NearMiss[], total: number, t: Translate, locale: Locale): Record<string, unknown> {
  return renderCard(listTemplate, {
    title: t('nearmiss.list.title', { count: total }),
    empty: reports.length === 0 ? t('nearmiss.list.empty') : '',
    items: reports.map((r) => ({
      id: r.id,
      heading: t('nearmiss.list.heading', {
        id: r.id,
        status: t(`nearmiss.status.${r.status}`),
        category: t(`nearmiss.category.${r.category}`),
        impact: r.impact,
      }),
      line: `${formatDate(new Date(r.occurredAt), locale)} ${r.what}`,
    })),
  });
}

type Card = Record<string, unknown>;

/**
 * The digest is the same for everyone reading it in one language, and the schedule renders it once
 * per person: kept per list of reports (by identity) and title, so a town of 10,000 fits it once.
 */
const digests = new WeakMap<readonly NearMiss[], Map<string, { card: Card; carried: readonly NearMiss[] }>>();

/**
 * The monthly learning digest. Built from category, 影響度, what happened and the countermeasure
 * only: nothing of who reported, acknowledged or decided is passed in, so no name can leak into it.
 * A busy month lists as many as fit one card, those with a countermeasure and the most serious first,
 * and says per category how many it left out; the counts (per category and per unit) are always whole.
 */
export function renderDigest(month: string, reports: readonly NearMiss[], t: Translate): Card {
  return digestOf(month, reports, t).card;
}

/** The reports the digest lists: what it can call 共有済. */
export function digestCarried(month: string, reports: readonly NearMiss[], t: Translate): readonly NearMiss[] {
  return digestOf(month, reports, t).carried;
}

function digestOf(month: string, reports: readonly NearMiss[], t: Translate): { card: Card; carried: readonly NearMiss[] } {
  const [year = '', mm = ''] = month.split('-');
  const when = { year, month: String(Number(mm)) };
  const title = t('nearmiss.digest.title', when);
  const known = digests.get(reports)?.get(title);
  if (known) return known;
  const byPriority = [...reports].sort((a, b) => Number(b.countermeasure !== undefined) - Number(a.countermeasure !== undefined) || b.impact - a.impact);
  const perUnit = new Map<string, number>();
  for (const r of reports) perUnit.set(r.unit, (perUnit.get(r.unit) ?? 0) + 1);
  const units = [...perUnit].map(([unit, count]) => ({ label: unit || t('nearmiss.digest.noUnit'), value: t('nearmiss.digest.count', { count }) }));
  const render = (shown: number): Card => {
    const listed = new Set(byPriority.slice(0, shown));
    const groups = CATEGORIES.map((category) => ({ category, all: reports.filter((r) => r.category === category) }))
      .filter((g) => g.all.length > 0)
      .map((g) => {
        const items = g.all.filter((r) => listed.has(r));
        return {
          heading: t('nearmiss.digest.group', { category: t(`nearmiss.category.${g.category}`), count: g.all.length }),
          items: items.map((r) => ({
            what: r.what,
            facts: [
              { label: t('nearmiss.field.impact'), value: t(`nearmiss.impact.${r.impact}` as MessageKey) },
              { label: t('nearmiss.field.countermeasure'), value: r.countermeasure ?? t('nearmiss.digest.noCountermeasure') },
            ],
          })),
          more: items.length < g.all.length ? t('nearmiss.digest.more', { count: g.all.length - items.length }) : '',
        };
      });
    return renderCard(digestTemplate, {
      title,
      intro: t('nearmiss.digest.intro', { ...when, count: reports.length }),
      groups,
      unitsTitle: t('nearmiss.digest.units'),
      units,
    });
  };
  const { card, shown } = renderFitting(reports.length, render);
  const fitted = { card, carried: byPriority.slice(0, shown) };
  digests.set(reports, (digests.get(reports) ?? new Map()).set(title, fitted));
  return fitted;
}
