import { JobRunsRepository } from '../../scheduler/job-runs.repository';
import type { FeatureLayers, FeatureModule } from '../feature-module';
import type { OjtSummaryOf } from './oneonone.deps';
import { oneononeHandlers } from './oneonone.handlers';
import { ONEONONE_TABLES, OneOnOneRepository } from './oneonone.repository';
import { OneOnOneSchedule } from './oneonone.schedule';
import { OpenActions } from './open-actions';
import { OpenActionsIndex } from './open-actions.repository';
import { overdueActionsOf } from './overdue-actions';
import { PrivateTexts } from './private-texts.repository';
import { recordHandlers } from './record.handlers';
import { ReminderTimesRepository } from './reminder-times.repository';

export interface OneOnOneFeature extends FeatureModule {
  /** The 1on1s, for the KPI rollup. */
  meetings: OneOnOneRepository;
  /** A person's agreed actions past due, for the check-in prompt and card. */
  overdueActionsOf: ReturnType<typeof overdueActionsOf>;
}

/** 1on1: booking, agenda, record, cadence and reminder-time settings, their reminders and the overdue digest. */
export function oneononeModule(layers: FeatureLayers, deps: { ojtSummaryOf: OjtSummaryOf }): OneOnOneFeature {
  const { tables, org, notifier, localeOf, clock } = layers;
  const meetings = new OneOnOneRepository(tables);
  const texts = new PrivateTexts(tables);
  const oneonone = {
    meetings,
    texts,
    openActions: new OpenActions({ index: new OpenActionsIndex(tables), meetings, texts, org }),
    org,
    notifier,
    localeOf,
    reminderTimes: new ReminderTimesRepository(tables),
    ojtSummaryOf: deps.ojtSummaryOf,
  };
  const routes = oneononeHandlers({ ...oneonone, clock });
  return {
    name: 'oneonone',
    tables: Object.values(ONEONONE_TABLES),
    commands: [routes.command],
    verbs: [...routes.verbs, ...recordHandlers({ ...oneonone, clock })],
    searches: [],
    jobs: [...new OneOnOneSchedule({ ...oneonone, jobRuns: new JobRunsRepository(tables), clock }).sources],
    meetings: oneonone.meetings,
    overdueActionsOf: overdueActionsOf(oneonone),
  };
}
