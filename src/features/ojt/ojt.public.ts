/** What other features may use of OJT: the KPI rollup's OJT source and the data lifecycle's OJT tables. */
export { OjtKpiSource } from './ojt.kpi';
export { ojtTables } from './ojt.records';
export { OJT_TABLES, OjtRepository } from './ojt.repository';
