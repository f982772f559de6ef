import type { FeatureLayers, FeatureModule } from '../feature-module';
import { checkinHandlers } from './checkin.handlers';
import { CHECKIN_TABLES, CheckinRepository } from './checkin.repository';
import { CheckinSchedule, type CheckinScheduleDeps } from './checkin.schedule';
import { LeaveCancelPrompts } from './leave-cancel-prompts';
import { checkinSettingsHandlers } from './settings.handlers';
import { UNIT_SCHEDULES_TABLE, UnitScheduleRepository } from './unit-schedule.repository';

export type UnitChannelOf = (tenantId: string, unit: string) => Promise<{ teamId: string; channelId: string } | undefined>;

export interface CheckinFeature extends FeatureModule {
  /** Check-ins and leave days, for the KPI rollup and the paid-leave tally. */
  checkins: CheckinRepository;
  /** The unit's team channel as HR set it in the check-in settings, for features that post there without reading this feature's tables. */
  unitChannelOf: UnitChannelOf;
}

export interface CheckinModuleDeps {
  /** The person's 1on1 actions past due, from the 1on1 feature. */
  overdueActionsOf: CheckinScheduleDeps['overdueActionsOf'];
}

/** チェックイン (morning and evening, leave, help requests) and the unit settings its prompts follow. */
export function checkinModule(layers: FeatureLayers, deps: CheckinModuleDeps): CheckinFeature {
  const { tables, org, references, notifier, localeOf, localesOf, orgLocale, clock } = layers;
  const checkins = new CheckinRepository(tables);
  const schedules = new UnitScheduleRepository(tables);
  const leaveCancelPrompts = new LeaveCancelPrompts({ checkins, schedules, notifier, localeOf, clock, overdueActionsOf: deps.overdueActionsOf });
  const checkin = checkinHandlers({ checkins, org, notifier, localeOf, clock, overdueActionsOf: deps.overdueActionsOf, leaveCancelPrompts });
  const settings = checkinSettingsHandlers({ org, schedules, references });
  return {
    name: 'checkin',
    tables: [...Object.values(CHECKIN_TABLES), UNIT_SCHEDULES_TABLE],
    commands: [...checkin.commands, settings.command],
    verbs: [...checkin.verbs, settings.verb],
    searches: [],
    jobs: [new CheckinSchedule({ checkins, org, notifier, localesOf, orgLocale, schedules, overdueActionsOf: deps.overdueActionsOf })],
    checkins,
    unitChannelOf: async (tenantId, unit) => (await schedules.get(tenantId, unit)).summaryChannel,
  };
}
