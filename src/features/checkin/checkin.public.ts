/**
 * What other features may use of check-in, and the only check-in file they import: the KPI rollup
 * reads check-ins, whether a unit's prompt went out and which check-in a half day off skips, the
 * data lifecycle finds its tables, the survey reads a leave day as check-in does. Everything else here is check-in's own.
 */
export { CHECKIN_TABLES, CheckinRepository } from './checkin.repository';
export { checkinPromptJobId, type CheckinRecord, type Slot } from './checkin.schema';
export { readLeaveDay, skipsSlot, type HalfDay } from './leave';
export { UNIT_SCHEDULES_TABLE } from './unit-schedule.repository';
