import cadenceTemplate from '../../../cards/oneonone/cadence.card.json';
import type { HandlerContext, VerbRoute } from '../../routing/handler-context';
import { tokyoDay } from '../../calendar/office-calendar';
import { renderCard } from '../../cards/render-card';
import { formatDate, type MessageKey, type Translate } from '../../i18n/i18n';
import { pageOf, requestedPage } from '../../shared/pages';
import { who } from './oneonone.cards';
import { fieldErrors, outsideFields, typedValues, type FieldMessages } from '../../shared/card-form';
import type { OneOnOneDeps } from './oneonone.deps';
import { CADENCE_FIELDS, CADENCES, DEFAULT_CADENCE_DAYS, FOLLOW_UNIT, pairCadenceSchema, unitCadenceSchema, type Pair } from './oneonone.schema';
import { pairsFromDirectory, viewPair } from './oneonone.service';

type Verb = 'oneonone.cadence.pair' | 'oneonone.cadence.unit';
type Choice = { title: string; value: string };
type Pager = { text: string; page: string; prev: string; next: string };

/** Members the form lists at a time: a 課長 of 2,000 pages through them, the card stays well under 40 KB. */
export const CADENCE_PAGE_SIZE = 50;
const NO_PAGER: Pager = { text: '', page: '1', prev: '', next: '' };

/** The member or unit is picked from the card's list, so anything wrong with it is a stale or forged choice. */
const CADENCE_MESSAGES: FieldMessages = { cadence: 'oneonone.cadence.error', other: 'oneonone.error.invalid' };

/** The words after `1on1` that open the cadence form (`1on1 設定`, `1on1 設定 建設課` for HR). */
export const SETTINGS_WORDS = ['設定', 'settings'];

function cadenceLabel(days: number, t: Translate): string {
  return CADENCES.some((c) => Number(c) === days) ? t(`oneonone.cadence.d${days}` as MessageKey) : t('oneonone.cadence.days', { days });
}

/**
 * How often each pair meets: the manager per pair, HR per unit. A pair's own setting wins over its
 * unit's; a pair without either is due every month as the policy says.
 */
export function cadenceHandlers(deps: OneOnOneDeps): { open(ctx: HandlerContext, args: string): Promise<void>; verbs: VerbRoute[] } {
  async function context(tenantId: string) {
    const directory = await deps.org.listPeople(tenantId);
    const pairs = await deps.meetings.syncPairs(tenantId, pairsFromDirectory(directory), tokyoDay(deps.clock.now()));
    const units = [...new Set(directory.filter((p) => p.active && p.unit).map((p) => p.unit as string))];
    return { directory, pairs, units, byId: new Map(directory.map((p) => [p.id, p])) };
  }

  function render(
    ctx: HandlerContext,
    verb: Verb,
    title: string,
    intro: string,
    targets: Choice[],
    pager: Pager,
    values: Record<string, string>,
    errors: Record<string, string>,
    formError = '',
  ) {
    const cadences = CADENCES.map((value) => ({ title: cadenceLabel(Number(value), ctx.t), value }));
    return renderCard(cadenceTemplate, {
      title,
      intro,
      formError: formError || (Object.keys(errors).length > 0 ? ctx.t('oneonone.formError') : ''),
      verb,
      labels: {
        target: ctx.t(verb === 'oneonone.cadence.pair' ? 'oneonone.cadence.member' : 'oneonone.cadence.unit'),
        cadence: ctx.t('oneonone.cadence.label'),
        save: ctx.t('oneonone.cadence.save'),
        prev: ctx.t('oneonone.cadence.prev'),
        next: ctx.t('oneonone.cadence.next'),
      },
      pager,
      values: { target: '', cadence: '', ...values },
      errors: { target: errors.target ?? '', cadence: errors.cadence ?? '' },
      targets,
      cadences: verb === 'oneonone.cadence.pair' ? [...cadences, { title: ctx.t('oneonone.cadence.followUnit'), value: FOLLOW_UNIT }] : cadences,
    });
  }

  /**
   * The manager's members a page at a time (the page holding `values.target` when none is asked for);
   * saving changes the one member chosen, so a page saves only its own rows.
   */
  function pairForm(
    ctx: HandlerContext,
    mine: Pair[],
    byId: Map<string, { name: string; role: string }>,
    values: Record<string, string>,
    errors: Record<string, string>,
    formError?: string,
    requested?: number,
  ) {
    const at = mine.findIndex((p) => p.memberId === values.target);
    const shown = pageOf(mine, requested ?? (at >= 0 ? Math.floor(at / CADENCE_PAGE_SIZE) + 1 : 1), CADENCE_PAGE_SIZE);
    const pager: Pager =
      shown.pages > 1
        ? {
            text: ctx.t('oneonone.cadence.page', { from: shown.from, to: shown.to, total: shown.total }),
            page: String(shown.page),
            prev: shown.page > 1 ? String(shown.page - 1) : '',
            next: shown.page < shown.pages ? String(shown.page + 1) : '',
          }
        : NO_PAGER;
    const targets = shown.items.flatMap((p) => {
      const member = byId.get(p.memberId);
      return member
        ? [
            {
              title: ctx.t('oneonone.cadence.current', {
                name: `${ctx.t(`role.${member.role}` as MessageKey)} ${member.name}`,
                cadence: cadenceLabel(p.cadenceDays, ctx.t),
              }),
              value: p.memberId,
            },
          ]
        : [];
    });
    return render(
      ctx,
      'oneonone.cadence.pair',
      ctx.t('oneonone.cadence.title'),
      ctx.t('oneonone.cadence.pairIntro'),
      targets,
      pager,
      values,
      errors,
      formError,
    );
  }

  async function unitForm(ctx: HandlerContext, units: string[], values: Record<string, string>, errors: Record<string, string>) {
    const byUnit = await deps.meetings.listUnitCadences(ctx.tenantId);
    const targets = units.map((u) => ({
      title: ctx.t('oneonone.cadence.current', { name: u, cadence: cadenceLabel(byUnit.get(u) ?? DEFAULT_CADENCE_DAYS, ctx.t) }),
      value: u,
    }));
    const cadence = values.target ? String(byUnit.get(values.target) ?? DEFAULT_CADENCE_DAYS) : '';
    return render(
      ctx,
      'oneonone.cadence.unit',
      ctx.t('oneonone.cadence.unitTitle'),
      ctx.t('oneonone.cadence.unitIntro'),
      targets,
      NO_PAGER,
      { cadence, ...values },
      errors,
    );
  }

  /** `1on1 設定 [unit]` (args after the settings word), or the overview's per-member action. */
  async function open(ctx: HandlerContext, args: string, memberId?: string): Promise<void> {
    const { pairs, units, byId } = await context(ctx.tenantId);
    const mine = pairs.filter((p) => p.managerId === ctx.person.id && byId.has(p.memberId));
    const summary = ctx.t('oneonone.cadence.title');
    if (args || (mine.length === 0 && ctx.person.hr)) {
      if (!ctx.person.hr) return void (await ctx.reply({ text: ctx.t('oneonone.cadence.hrOnly') }));
      const unit = units.find((u) => u === args);
      if (args && !unit) return void (await ctx.reply({ text: ctx.t('oneonone.cadence.whichUnit', { example: units[0] ?? '', units: units.join('、') }) }));
      return void (await ctx.reply({ card: await unitForm(ctx, units, unit ? { target: unit } : {}, {}), summary }));
    }
    if (mine.length === 0) return void (await ctx.reply({ text: ctx.t('oneonone.cadence.noMembers') }));
    const chosen = mine.find((p) => p.memberId === memberId) ?? (mine.length === 1 ? mine[0] : undefined);
    const values: Record<string, string> = chosen
      ? { target: chosen.memberId, cadence: chosen.ownCadenceDays ? String(chosen.ownCadenceDays) : FOLLOW_UNIT }
      : {};
    await ctx.reply({ card: pairForm(ctx, mine, byId, values, {}), summary });
  }

  async function savePair(ctx: HandlerContext): Promise<void> {
    const { pairs, byId } = await context(ctx.tenantId);
    const mine = pairs.filter((p) => p.managerId === ctx.person.id && byId.has(p.memberId));
    const values = typedValues(ctx.value, CADENCE_FIELDS);
    const parsed = pairCadenceSchema.safeParse(ctx.value);
    // Only the directory's own pairs: a manager can never change another manager's pair.
    const pair = mine.find((p) => p.memberId === values.target);
    if (!parsed.success || !pair) {
      if (!parsed.success && outsideFields(parsed.error.issues, CADENCE_FIELDS)) return void (await ctx.reply({ text: ctx.t('oneonone.error.invalid') }));
      const errors = parsed.success ? {} : fieldErrors(parsed.error.issues, values, ctx.t, CADENCE_MESSAGES);
      const formError = pair || errors.target ? undefined : ctx.t('oneonone.error.notYours');
      // The chosen member's page, or the page the form was on when the choice was not one of theirs.
      return ctx.answerInPlace({ card: pairForm(ctx, mine, byId, values, errors, formError, pair ? undefined : requestedPage(ctx.value)) });
    }
    const own = parsed.data.cadence === FOLLOW_UNIT ? undefined : Number(parsed.data.cadence);
    await deps.meetings.setPairCadence(ctx.tenantId, ctx.person.id, pair.memberId, own);
    const member = byId.get(pair.memberId);
    const updated = (await context(ctx.tenantId)).pairs.find((p) => p.managerId === ctx.person.id && p.memberId === pair.memberId);
    if (!member || !updated) return;
    const today = tokyoDay(deps.clock.now());
    const view = viewPair(updated, member, await deps.meetings.listForPair(ctx.tenantId, ctx.person.id, member.id), today);
    const text = ctx.t('oneonone.cadence.pairSaved', {
      name: who(member, ctx.t),
      cadence: cadenceLabel(updated.cadenceDays, ctx.t),
      day: formatDate(view.dueDay, ctx.locale),
    });
    await ctx.answerInPlace({ text });
  }

  async function saveUnit(ctx: HandlerContext): Promise<void> {
    if (!ctx.person.hr) return void (await ctx.reply({ text: ctx.t('oneonone.cadence.hrOnly') }));
    const { units } = await context(ctx.tenantId);
    const values = typedValues(ctx.value, CADENCE_FIELDS);
    const parsed = unitCadenceSchema.safeParse(ctx.value);
    const unit = units.find((u) => u === values.target);
    if (!parsed.success || !unit) {
      if (!parsed.success && outsideFields(parsed.error.issues, CADENCE_FIELDS)) return void (await ctx.reply({ text: ctx.t('oneonone.error.invalid') }));
      const errors = parsed.success ? {} : fieldErrors(parsed.error.issues, values, ctx.t, CADENCE_MESSAGES);
      if (!unit) errors.target ??= ctx.t('oneonone.cadence.noUnit');
      return ctx.answerInPlace({ card: await unitForm(ctx, units, values, errors) });
    }
    const days = Number(parsed.data.cadence);
    await deps.meetings.setUnitCadence(ctx.tenantId, unit, days, ctx.person.id, deps.clock.now());
    await ctx.answerInPlace({ text: ctx.t('oneonone.cadence.unitSaved', { unit, cadence: cadenceLabel(days, ctx.t) }) });
  }

  /** 前へ / 次へ: the same form on another page, nothing saved. */
  async function turnPage(ctx: HandlerContext): Promise<void> {
    const { pairs, byId } = await context(ctx.tenantId);
    const mine = pairs.filter((p) => p.managerId === ctx.person.id && byId.has(p.memberId));
    if (mine.length === 0) return void (await ctx.reply({ text: ctx.t('oneonone.cadence.noMembers') }));
    await ctx.answerInPlace({ card: pairForm(ctx, mine, byId, {}, {}, undefined, requestedPage(ctx.value)) });
  }

  async function openFromOverview(ctx: HandlerContext): Promise<void> {
    const raw = (typeof ctx.value === 'object' && ctx.value !== null ? ctx.value : {}) as Record<string, unknown>;
    await open(ctx, '', typeof raw.memberId === 'string' ? raw.memberId : undefined);
  }

  return {
    open: (ctx, args) => open(ctx, args),
    verbs: [
      { verb: 'oneonone.cadence.open', handle: openFromOverview },
      { verb: 'oneonone.cadence.pair', handle: savePair },
      { verb: 'oneonone.cadence.page', handle: turnPage },
      { verb: 'oneonone.cadence.unit', handle: saveUnit },
    ],
  };
}
