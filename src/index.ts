// Public API of the gongwei library (the CLI in src/cli is a thin layer over these).
export type { Issue, Severity, Position } from './issues.js';
export { GongweiError } from './errors.js';
export { openDatabase, ensureRegisterTables, type Database } from './db.js';

export type { Plan, Section, Task, TargetEntry, PlanKind } from './plan/model.js';
export type { Target } from './plan/target.types.js';
export { loadPlanFile, loadPlanText } from './plan/load.js';
export { parseTarget } from './plan/target.js';
export { parseDeadline } from './plan/deadline.js';
export { planIndicatorTargets } from './plan/targets.js';
export { validatePlans, validatePlanFile, checkPlanFile, expandPlanPaths, type FileReport, type CheckedPlan } from './plan/validate.js';

export { loadRegisterCatalog, getRegister } from './registers/catalog.js';
export { importFiles, importFile, type ImportOptions, type ImportSummary } from './registers/import.js';

export { loadIndicatorCatalog, type IndicatorCatalog, type IndicatorDef } from './indicators/catalog.js';
export { computeIndicators, type ComputeOptions } from './indicators/compute.js';
export { computeGaps, type GapRow } from './indicators/gaps.js';
export { parsePeriod } from './indicators/period.js';
export { evaluateTarget } from './indicators/targets.js';
export type { ComputeResult, IndicatorResult, Period, DataQualityNote } from './indicators/types.js';
export { loadSchedule, vaccineCode, dueDate } from './indicators/immunization/schedule.js';
