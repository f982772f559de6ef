/**
 * What other features may use of near-miss reports: the KPI rollup reads reports and their
 * categories, the data lifecycle finds its tables and a report's id. Everything else here is its own.
 */
export { NEARMISS_TABLES, NearMissRepository } from './nearmiss.repository';
export { CATEGORIES, IMPACTS, reportId, type NearMiss } from './nearmiss.schema';
