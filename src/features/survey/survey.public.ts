/** What other features may use of the survey: the KPI rollup's survey source and the data lifecycle's table. */
export { SurveyKpi } from './survey.kpi-source';
export { surveyTables } from './survey.records';
export { SURVEY_TABLE, SurveyRepository } from './survey.repository';
