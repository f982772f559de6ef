import doneTemplate from '../../../cards/survey/done.card.json';
import formTemplate from '../../../cards/survey/form.card.json';
import resultsTemplate from '../../../cards/survey/results.card.json';
import textsTemplate from '../../../cards/survey/texts.card.json';
import { renderCard, renderFitting, utf16Bytes, CARD_BUDGET_BYTES } from '../../cards/render-card';
import { formatDate, type Locale, type MessageKey, type Translate } from '../../i18n/i18n';
import { SURVEY_ROLE_GROUPS, type LocalisedLabel, type SurveyGroupFigures, type SurveySummary, type Suppressible } from '../kpi/kpi.public';
import type { SurveyResults } from './survey.results';
import { fieldIds, FREE_TEXT_MAX, type Survey } from './survey.schema';

type Card = Record<string, unknown>;

/** A refused card's state: what was chosen and typed, which questions are still open, whether the text is too long. */
export interface FormState {
  values: Record<string, string>;
  missing: readonly string[];
  tooLong: boolean;
}

const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩';
const numbered = (i: number): string => CIRCLED[i] ?? String(i + 1);

/** The answer card; with a state, as it came back (choices kept, open questions marked); with a notice, as the reminder. */
export function renderSurveyForm(survey: Survey, t: Translate, locale: Locale, state?: FormState, notice = ''): Card {
  const { questions } = survey;
  const value = (id: string): string => state?.values[id] ?? '';
  const labelled = (id: string, text: string): string => (state?.missing.includes(id) ? t('survey.missing', { label: text }) : text);
  return renderCard(formTemplate, {
    title: `📋 ${questions.title[locale]}`,
    notice,
    intro: t('survey.intro', { closeOn: formatDate(survey.closeOn, locale) }),
    formError: state ? t('survey.formError', { count: state.missing.length }) : '',
    surveyId: survey.surveyId,
    scale: questions.scale.map((p) => ({ title: `${p.value} ${p.label[locale]}`, value: String(p.value) })),
    yesNo: [
      { title: t('survey.yes'), value: 'yes' },
      { title: t('survey.no'), value: 'no' },
    ],
    categories: questions.categories.map((c) => ({
      label: c.label[locale],
      items: c.items.map((i) => ({ id: fieldIds.item(i.key), label: labelled(fieldIds.item(i.key), i.label[locale]), value: value(fieldIds.item(i.key)) })),
    })),
    agreements: questions.agreements.map((a) => ({
      id: fieldIds.agreement(a.key),
      label: labelled(fieldIds.agreement(a.key), a.label[locale]),
      value: value(fieldIds.agreement(a.key)),
    })),
    freeText: {
      label: questions.freeText?.[locale] ?? '',
      value: value(fieldIds.text),
      error: state?.tooLong ? t('survey.error.tooLong', { max: FREE_TEXT_MAX }) : '',
    },
    labels: {
      required: t('survey.required'),
      choose: t('survey.choose'),
      agreementsHeading: t('survey.agreementsHeading'),
      privacy: t('survey.privacy'),
      submit: t('survey.submit'),
    },
  });
}

/** What replaces the answer card in place: thanks, already answered, closed. */
export function renderDone(title: string, note: string): Card {
  return renderCard(doneTemplate, { title, note });
}

interface GridRow {
  label: string;
  cells: string[];
  subtle: boolean;
}

export interface ResultsInput {
  current: SurveyResults;
  previous?: SurveyResults;
  baseline?: SurveySummary;
  /** Free-text answers collected; undefined when the town is under 3 and they are not shown. */
  texts?: number;
}

/**
 * HR's results card: the town's categories, items and agreement beside the previous survey and the
 * baseline (compact lists), then the role groups beside the baseline and the 課 (grids, columns
 * numbered by category), as many 課 as fit.
 */
export function renderResults(input: ResultsInput, t: Translate, locale: Locale): Card {
  const { current, previous, baseline } = input;
  const label = (l: LocalisedLabel): string => l[locale];
  const cell = (v: Suppressible | undefined, format: (n: number) => string): string =>
    v === undefined ? t('survey.results.none.cell') : v === null ? t('survey.results.hidden') : format(v);
  const mean = (v: Suppressible | undefined): string => cell(v, (n) => n.toFixed(1));
  const share = (v: Suppressible | undefined): string => cell(v, (n) => `${Math.round(n * 100)}%`);
  const people = (v: Suppressible | undefined): string =>
    v === null || v === undefined ? t('survey.results.hidden') : t('survey.results.people', { count: v });
  const legend = t('survey.results.legend', {
    previous: previous ? label(previous.title) : t('survey.results.noPrevious'),
    baseline: baseline ? label(baseline.title) : t('survey.results.noPrevious'),
  });
  const categoryKeys = current.categories.map((c) => c.key);
  const groupRow = (text: string, f: SurveyGroupFigures, subtle = false): GridRow => ({
    label: `${text}（${people(f.answers)}）`,
    cells: categoryKeys.map((k) => mean(f.categories[k])),
    subtle,
  });
  const headers = { label: t('survey.results.col.group'), cells: categoryKeys.map((_, i) => numbered(i)) };

  const lists = [
    {
      heading: t('survey.results.town'),
      legend,
      facts: current.categories.map((c, i) => ({
        title: `${numbered(i)} ${label(c.label)}`,
        value: [mean(current.town.categories[c.key]), mean(previous?.town.categories[c.key]), mean(baseline?.town.categories[c.key])].join(' / '),
      })),
    },
    {
      heading: t('survey.results.items'),
      legend: t('survey.results.itemsLegend'),
      facts: current.items.map((i) => ({ title: label(i.label), value: [mean(current.town.items[i.key]), mean(previous?.town.items[i.key])].join(' / ') })),
    },
    {
      heading: t('survey.results.agreements'),
      legend,
      facts: current.agreements.map((a) => ({
        title: label(a.label),
        value: [share(current.town.agreement[a.key]), share(previous?.town.agreement[a.key]), share(baseline?.town.agreement[a.key])].join(' / '),
      })),
    },
  ];
  const roles = {
    heading: t('survey.results.byRole'),
    headers,
    rows: SURVEY_ROLE_GROUPS.flatMap((g) => {
      const figures = current.byRoleGroup[g];
      const base = baseline?.byRoleGroup[g];
      if (!figures) return [];
      const name = t(`survey.group.${g}` as MessageKey);
      return [groupRow(name, figures), ...(base ? [groupRow(t('survey.results.baselineRow'), base, true)] : [])];
    }),
    note: t('survey.results.columnsNote'),
  };
  const units = Object.keys(current.byUnit).sort((a, b) => a.localeCompare(b, 'ja'));
  const footer = [
    input.texts === undefined ? t('survey.results.textsHidden') : t('survey.results.texts', { count: input.texts }),
    t('survey.results.footer'),
  ].join('\n\n');
  const render = (shown: number): Card => {
    const byUnit = {
      heading: t('survey.results.byUnit'),
      headers,
      rows: units.slice(0, shown).map((u) => groupRow(u, current.byUnit[u] as SurveyGroupFigures)),
      note: [t('survey.results.columnsNote'), shown < units.length ? t('survey.results.unitsMore', { count: units.length - shown }) : '']
        .filter(Boolean)
        .join(' '),
    };
    return renderCard(resultsTemplate, {
      title: t('survey.results.title', { title: label(current.title) }),
      subtitle: t('survey.results.subtitle', { closedOn: formatDate(current.closedOn, locale), answers: people(current.town.answers) }),
      lists,
      grids: [roles, ...(units.length > 0 ? [byUnit] : [])],
      footer,
    });
  };
  return renderFitting(units.length, render).card;
}

/** Free texts split into pages that each fit a card; page boundaries depend only on the texts. */
export function textPages(texts: readonly string[], budgetBytes = CARD_BUDGET_BYTES / 2): string[][] {
  const pages: string[][] = [];
  let page: string[] = [];
  for (const text of texts) {
    if (page.length > 0 && utf16Bytes([...page, text]) > budgetBytes) {
      pages.push(page);
      page = [];
    }
    page.push(text);
  }
  if (page.length > 0) pages.push(page);
  return pages;
}

export function renderTexts(title: LocalisedLabel, pages: readonly string[][], page: number, t: Translate, locale: Locale): Card {
  const shown = pages[page - 1] ?? [];
  return renderCard(textsTemplate, {
    title: t('survey.texts.title', { title: title[locale], page: Math.min(page, pages.length), pages: pages.length }),
    intro: t('survey.texts.intro'),
    texts: shown.length > 0 ? shown : [t('survey.texts.none')],
    footer: page < pages.length ? t('survey.texts.next', { next: page + 1 }) : '',
  });
}
