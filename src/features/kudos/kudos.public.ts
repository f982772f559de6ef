/**
 * What other features may use of kudos: the KPI rollup and its CSV export read kudos and プラス評価,
 * the data lifecycle finds its tables. Everything else here is kudos' own.
 */
export { KUDOS_TABLES, KudosRepository } from './kudos.repository';
export { VALUE_KEYS, type KudosRecord, type PlusEntry } from './kudos.schema';
