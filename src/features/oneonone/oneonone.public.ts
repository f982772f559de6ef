/**
 * What other features may use of 1on1: the KPI rollup reads meetings and the pairs the directory
 * makes, the data lifecycle finds its tables. Everything else here is 1on1's own.
 */
export { ONEONONE_TABLES, OneOnOneRepository } from './oneonone.repository';
export { CADENCES, type Meeting } from './oneonone.schema';
export { pairsFromDirectory } from './oneonone.service';
