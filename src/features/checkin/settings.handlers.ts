import settingsTemplate from '../../../cards/checkin/settings.card.json';
import type { CommandRoute, HandlerContext, VerbRoute } from '../../bot/handler-context';
import { renderCard } from '../../cards/render-card';
import { numberInputValue } from '../../shared/card-fields';
import type { ConversationReferencesRepository } from '../../delivery/conversation-references.repository';
import type { MessageKey } from '../../i18n/i18n';
import type { OrgRepository } from '../org/org.repository';
import type { UnitScheduleRepository } from './unit-schedule.repository';
import { SETTINGS_FIELDS, unitScheduleSubmitSchema, type UnitSchedule } from './unit-schedule.schema';

export interface SettingsDeps {
  org: OrgRepository;
  schedules: UnitScheduleRepository;
  references: ConversationReferencesRepository;
}

const NONE = 'none';

/** HR sets each unit's check-in times and the team channel its summary also goes to. */
export function checkinSettingsHandlers(deps: SettingsDeps): { command: CommandRoute; verb: VerbRoute } {
  async function channelChoices(ctx: HandlerContext): Promise<{ title: string; value: string }[]> {
    const channels = await deps.references.listChannels(ctx.tenantId);
    return [
      { title: ctx.t('settings.noChannel'), value: NONE },
      ...channels.map((c) => ({ title: [c.teamName ?? c.teamId, c.channelName].filter(Boolean).join(' / '), value: `${c.teamId}|${c.ownerChannelId}` })),
    ];
  }

  async function render(ctx: HandlerContext, unit: string, values: Record<string, string>, errors: Record<string, string>) {
    return renderCard(settingsTemplate, {
      title: ctx.t('settings.title', { unit }),
      intro: ctx.t('settings.intro'),
      formError: Object.keys(errors).length > 0 ? ctx.t('checkin.formError') : '',
      unit,
      labels: Object.fromEntries(
        [...SETTINGS_FIELDS, 'save', 'requiredHint'].map((f) => [f, ctx.t(`settings.${f}` as MessageKey)]),
      ),
      values: { ...values, reminderAfterMinutes: numberInputValue(values.reminderAfterMinutes) },
      errors: Object.fromEntries(SETTINGS_FIELDS.map((f) => [f, errors[f] ?? ''])),
      channels: await channelChoices(ctx),
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
    if (!ctx.person.hr) {
      await ctx.reply({ text: ctx.t('settings.hrOnly') });
      return;
    }
    const raw = (typeof ctx.value === 'object' && ctx.value !== null ? ctx.value : {}) as Record<string, unknown>;
    const typed = Object.fromEntries(SETTINGS_FIELDS.map((f) => [f, typeof raw[f] === 'string' || typeof raw[f] === 'number' ? String(raw[f]) : '']));
    const units = new Set((await deps.org.listPeople(ctx.tenantId)).map((p) => p.unit));
    const parsed = unitScheduleSubmitSchema.safeParse(raw);
    const errors: Record<string, string> = {};
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        const code = ['time', 'reminder', 'closeAfter', 'eveningAfter'].includes(issue.message) ? issue.message : 'time';
        errors[field] ??= ctx.t(`settings.error.${code}` as MessageKey);
      }
    }
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
      const card = await render(ctx, unit, typed, errors);
      if (ctx.sourceActivityId) await ctx.updateMessage(ctx.sourceActivityId, { card });
      else await ctx.reply({ card });
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
    if (ctx.sourceActivityId) await ctx.updateMessage(ctx.sourceActivityId, { text });
    else await ctx.reply({ text });
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
