/** What other features may use of paid leave: the KPI rollup's paid-leave source, and the data lifecycle's table and retention rule. */
export { paidLeaveTables } from './paidleave.records';
export { PAIDLEAVE_TABLE, PaidLeaveRepository } from './paidleave.repository';
export { deletePaidLeaveYears } from './paidleave.retention';
export { PaidLeaveKpiSource } from './paidleave.source';
