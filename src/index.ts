// Public API of the gongwei library (the CLI in src/cli is a thin layer over these).
export type { Issue, Severity, Position } from './issues.js';
export { GongweiError } from './errors.js';
export { openDatabase, type Database } from './db.js';
export { ensureRegisterTables } from './registers/tables.js';

export type { Plan, Section, Task, TargetEntry, PlanKind } from './plan/model.js';
export type { Target } from './catalog/target.js';
export { loadPlanFile, loadPlanText } from './plan/load.js';
export { parseTarget } from './plan/parse-target.js';
export { parseDeadline } from './plan/deadline.js';
export { planIndicatorTargets, planCustomTargets, type CustomTarget } from './plan/plan-targets.js';
export { validatePlans, validatePlanFile, checkPlanFile, expandPlanPaths, type FileReport, type CheckedPlan } from './plan/validate.js';

export { loadRegisterCatalog, getRegister } from './catalog/registers.js';
export { importFiles, importFile, type ImportOptions, type ImportSummary } from './registers/import.js';
export { refreshIndicatorFacts } from './indicators/indicator-facts.js';

export { loadIndicatorCatalog, type IndicatorCatalog, type IndicatorDef } from './catalog/indicators.js';
export { computeIndicators, type ComputeOptions } from './indicators/compute.js';
export { computeGaps, type GapRow } from './indicators/gaps.js';
export { parsePeriod } from './indicators/period.js';
export { evaluateTarget } from './indicators/evaluate-target.js';
export type { ComputeResult, IndicatorResult, Period, DataQualityNote, ManualSource } from './indicators/types.js';
export { loadValues, checkValues, readValuesFile, withCustomResults, type ManualValue, type CheckedValues } from './indicators/values/index.js';
export { assessmentScheme } from './assessment/scheme.js';
export { assess, rankResults, GRADE_PENDING, type AssessScheme, type AssessmentResult, type RankedResult } from './assessment/score.js';
export { loadSchedule } from './catalog/schedule.js';
export { vaccineCode } from './catalog/vaccine-names.js';
export { dueDate } from './calendar.js';

export { importPlanFile, importPlanDoc, planDraftYaml, type ImportResult, type ImportedPlan } from './plan-import/index.js';

export { renderPlan, renderSummary, renderAssessment, planMarkdown, summaryMarkdown, assessmentMarkdown, convertMarkdown, type OutputFormat, type RenderOptions, type Rendered } from './render/render.js';
export { exportTemplates } from './render/templates.js';
export { computeForSummary } from './summary/compute.js';
export { summaryData, type SummaryData, type SummaryCompute } from './summary/data.js';

