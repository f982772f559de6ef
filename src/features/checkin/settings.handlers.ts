import settingsTemplate from '../../../cards/checkin/settings.card.json';
import type { CommandRoute, HandlerContext, VerbRoute } from '../../routing/handler-context';
import { renderCard } from '../../cards/render-card';
import { numberInputValue } from '../../shared/card-fields';
import { fieldErrors, typedValues, type FieldMessages } from '../../shared/card-form';
import { pageOf, requestedPage } from '../../shared/pages';
import type { ConversationReferencesRepository } from '../../delivery/conversation-references.repository';
import type { MessageKey } from '../../i18n/i18n';
import type { OrgRepository } from '../../directory/org.repository';
import type { UnitScheduleRepository } from './unit-schedule.repository';
import { SETTINGS_FIELDS, unitScheduleSubmitSchema, type UnitSchedule } from './unit-schedule.schema';

export interface SettingsDeps {
  org: OrgRepository;
  schedules: UnitScheduleRepository;
  references: ConversationReferencesRepository;
}

const NONE = 'none';

/**
 * 前へ / 次へ submit with the form's own verb (so the route stays one verb) and `turn: 'page'`:
 * the inputs come along, so the other page keeps what was typed.
 */
function isPageTurn(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>).turn === 'page';
}

/** Channels the form lists at a time: hibi in 200 channels would make a card of about 60 KB. */
export const CHANNEL_PAGE_SIZE = 50;

/** HR sets each unit's check-in times and the team channel its summary also goes to. */
/** The settings' own wording: a time is shown as 08:45 here, and anything unforeseen reads as a time problem. */
const SETTINGS_MESSAGES: FieldMessages = {
  time: 'settings.error.time',
  reminder: 'settings.error.reminder',
  closeAfter: 'settings.error.closeAfter',
  eveningAfter: 'settings.error.eveningAfter',
  other: 'settings.error.time',
};

export function checkinSettingsHandlers(deps: SettingsDeps): { command: CommandRoute; verb: VerbRoute } {
  /**
   * A page of the channels hibi is in, the unit's own team's first; 投稿しない and the channel already
   * chosen are on every page, so paging never loses the choice.
   */
  async function channelChoices(ctx: HandlerContext, unit: string, chosen: string, requested: number | undefined) {
    const channels = (await deps.references.listChannels(ctx.tenantId)).map((c) => ({
      title: [c.teamName ?? c.teamId, c.channelName].filter(Boolean).join(' / '),
      value: `${c.teamId}|${c.ownerChannelId}`,
      own: c.teamName === unit,
    }));
    const ordered = [...channels.filter((c) => c.own), ...channels.filter((c) => !c.own)].map(({ title, value }) => ({ title, value }));
    const at = ordered.findIndex((c) => c.value === chosen);
    const shown = pageOf(ordered, requested ?? (at >= 0 ? Math.floor(at / CHANNEL_PAGE_SIZE) + 1 : 1), CHANNEL_PAGE_SIZE);
    const kept = at >= 0 && !shown.items.some((c) => c.value === chosen) ? [ordered[at] as { title: string; value: string }] : [];
    const pager =
      shown.pages > 1
        ? {
            text: ctx.t('settings.channelPage', { from: shown.from, to: shown.to, total: shown.total, unit }),
            page: String(shown.page),
            prev: shown.page > 1 ? String(shown.page - 1) : '',
            next: shown.page < shown.pages ? String(shown.page + 1) : '',
          }
        : { text: '', page: '1', prev: '', next: '' };
    return { choices: [{ title: ctx.t('settings.noChannel'), value: NONE }, ...kept, ...shown.items], pager };
  }

  async function render(ctx: HandlerContext, unit: string, values: Record<string, string>, errors: Record<string, string>, page?: number) {
    const { choices, pager } = await channelChoices(ctx, unit, values.channel ?? '', page);
    return renderCard(settingsTemplate, {
      title: ctx.t('settings.title', { unit }),
      intro: ctx.t('settings.intro'),
      formError: Object.keys(errors).length > 0 ? ctx.t('checkin.formError') : '',
      unit,
      labels: Object.fromEntries([...SETTINGS_FIELDS, 'save', 'requiredHint', 'prev', 'next'].map((f) => [f, ctx.t(`settings.${f}` as MessageKey)])),
      values: { ...values, reminderAfterMinutes: numberInputValue(values.reminderAfterMinutes) },
      errors: Object.fromEntries(SETTINGS_FIELDS.map((f) => [f, errors[f] ?? ''])),
      channels: choices,
      pager,
    });
  }

  function valuesOf(schedule: UnitSchedule): Record<string, string> {
    return {
      morningAt: schedule.morningAt,
      morningCloseAt: schedule.morningCloseAt,
      eveningAt: schedule.eveningAt,
      eveningCloseAt: schedule.eveningCloseAt,
      reminderAfterMinutes: String(schedule.reminderAfterMinutes),
      channel: schedule.summaryChannel ? `${schedule.summaryChannel.teamId}|${schedule.summaryChannel.channelId}` : NONE,
    };
  }

  async function open(ctx: HandlerContext): Promise<void> {
    if (!ctx.person.hr) {
      await ctx.reply({ text: ctx.t('settings.hrOnly') });
      return;
    }
    const units = [...new Set((await deps.org.listPeople(ctx.tenantId)).filter((p) => p.active && p.unit).map((p) => p.unit as string))];
    const unit = units.find((u) => u === ctx.args.trim());
    if (!unit) {
      await ctx.reply({ text: ctx.t('settings.whichUnit', { example: units[0] ?? '', units: units.join('、') }) });
      return;
    }
    const card = await render(ctx, unit, valuesOf(await deps.schedules.get(ctx.tenantId, unit)), {});
    await ctx.reply({ card, summary: ctx.t('settings.title', { unit }) });
  }

  async function save(ctx: HandlerContext): Promise<void> {
    if (isPageTurn(ctx.value)) return turnPage(ctx);
    if (!ctx.person.hr) {
      await ctx.reply({ text: ctx.t('settings.hrOnly') });
      return;
    }
    const raw = (typeof ctx.value === 'object' && ctx.value !== null ? ctx.value : {}) as Record<string, unknown>;
    const typed = typedValues(raw, SETTINGS_FIELDS);
    const units = new Set((await deps.org.listPeople(ctx.tenantId)).map((p) => p.unit));
    const parsed = unitScheduleSubmitSchema.safeParse(raw);
    const errors = parsed.success ? {} : fieldErrors(parsed.error.issues, typed, ctx.t, SETTINGS_MESSAGES);
    const unit = typeof raw.unit === 'string' && units.has(raw.unit) ? raw.unit : undefined;
    const channel = parsed.success && parsed.data.channel !== NONE ? parsed.data.channel : undefined;
    const [teamId, channelId] = channel ? channel.split('|') : [];
    if (channel && !(await deps.references.listChannels(ctx.tenantId)).some((c) => c.teamId === teamId && c.ownerChannelId === channelId)) {
      errors.channel = ctx.t('settings.error.channel');
    }
    if (!unit || !parsed.success || Object.keys(errors).length > 0) {
      if (!unit) {
        await ctx.reply({ text: ctx.t('checkin.error.invalid') });
        return;
      }
      const card = await render(ctx, unit, typed, errors, requestedPage(raw));
      await ctx.answerInPlace({ card });
      return;
    }
    const schedule: UnitSchedule = {
      morningAt: parsed.data.morningAt,
      morningCloseAt: parsed.data.morningCloseAt,
      eveningAt: parsed.data.eveningAt,
      eveningCloseAt: parsed.data.eveningCloseAt,
      reminderAfterMinutes: parsed.data.reminderAfterMinutes,
      summaryChannel: teamId && channelId ? { teamId, channelId } : undefined,
    };
    await deps.schedules.save(ctx.tenantId, unit, schedule);
    const { morningAt, morningCloseAt, eveningAt, eveningCloseAt } = schedule;
    const text = ctx.t('settings.saved', { unit, morningAt, morningCloseAt, eveningAt, eveningCloseAt, reminder: schedule.reminderAfterMinutes });
    await ctx.answerInPlace({ text });
  }

  /** 前へ / 次へ over the channels: the same form, what was typed kept, nothing saved. */
  async function turnPage(ctx: HandlerContext): Promise<void> {
    if (!ctx.person.hr) {
      await ctx.reply({ text: ctx.t('settings.hrOnly') });
      return;
    }
    const raw = (typeof ctx.value === 'object' && ctx.value !== null ? ctx.value : {}) as Record<string, unknown>;
    const units = new Set((await deps.org.listPeople(ctx.tenantId)).map((p) => p.unit));
    const unit = typeof raw.unit === 'string' && units.has(raw.unit) ? raw.unit : undefined;
    if (!unit) {
      await ctx.reply({ text: ctx.t('checkin.error.invalid') });
      return;
    }
    const typed = typedValues(raw, SETTINGS_FIELDS);
    const card = await render(ctx, unit, typed, {}, requestedPage(raw));
    await ctx.answerInPlace({ card });
  }

  return {
    command: {
      name: 'checkin-settings',
      aliases: ['チェックイン設定', 'checkin-settings'],
      descriptionKey: 'help.cmd.checkinSettings',
      example: { ja: 'チェックイン設定 住民課', en: 'checkin-settings 住民課' },
      handle: open,
    },
    verb: { verb: 'checkin.settings.save', handle: save },
  };
}
