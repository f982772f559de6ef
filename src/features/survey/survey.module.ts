import type { FeatureLayers, FeatureModule } from '../feature-module';
import { surveyHandlers } from './survey.handlers';
import { SURVEY_TABLE, SurveyRepository } from './survey.repository';
import { SurveySchedule } from './survey.schedule';

/** アンケート: the staff survey's form, its reminder and its close. */
export function surveyModule(layers: FeatureLayers, deps: { questionsFile?: string }): FeatureModule {
  const { tables, org, notifier, localesOf, clock } = layers;
  const surveyDeps = { surveys: new SurveyRepository(tables), org, notifier, localesOf, clock, questionsFile: deps.questionsFile };
  const routes = surveyHandlers(surveyDeps);
  return { name: 'survey', tables: [SURVEY_TABLE], commands: [routes.command], verbs: [routes.verb], searches: [], jobs: [new SurveySchedule(surveyDeps)] };
}
