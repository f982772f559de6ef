/** What other features may use of training: the KPI rollup's training source, and the data lifecycle's tables and retention rules. */
export { TrainingKpiSource } from './training.kpi';
export { trainingTables } from './training.records';
export { TRAINING_TABLES, TrainingRepository } from './training.repository';
export { blankTrainingNotes, deleteTrainingsOfYears } from './training.retention';
