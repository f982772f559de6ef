/**
 * What other features may use of the data lifecycle: the contract a feature implements so its
 * person records are exported, deleted and kept only as long as allowed (PersonTable), and the
 * helpers that read its rows for it; the lifecycle's own table for the app's list of tables.
 */
export { queried, asStored } from './person-records/rule-helpers';
export { DEPARTED, type Found, type PersonScope, type PersonTable } from './person-table';
export { DATA_TABLES } from './retention.repository';
export { columnEq, keyParts, pagesOf } from './table-scan';
