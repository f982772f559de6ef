import type { FeatureLayers, FeatureModule } from '../feature-module';
import { registerHandlers } from './register.handlers';
import { trainingHandlers } from './training.handlers';
import { TRAINING_TABLES, TrainingRepository } from './training.repository';
import { TrainingSchedule } from './training.schedule';

/** 研修: HR's registration card, the attendance card, invitations and reminders. */
export function trainingModule(layers: FeatureLayers, deps: { reminderOfficeDaysBefore: number }): FeatureModule {
  const { tables, org, notifier, localesOf, clock } = layers;
  const trainingDeps = { trainings: new TrainingRepository(tables), org, clock, reminderOfficeDaysBefore: deps.reminderOfficeDaysBefore };
  const routes = [registerHandlers(trainingDeps), trainingHandlers(trainingDeps)];
  return {
    name: 'training',
    tables: Object.values(TRAINING_TABLES),
    commands: routes.map((r) => r.command),
    verbs: routes.map((r) => r.verb),
    searches: [],
    jobs: [new TrainingSchedule({ ...trainingDeps, notifier, localesOf })],
  };
}
