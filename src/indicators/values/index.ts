// Values a person supplies for what the registers cannot give (人工填报): read, checked against the plan, turned into results.
import type { IndicatorCatalog } from '../../catalog/indicators.js';
import type { CustomTarget } from '../../plan/plan-targets.js';
import { checkValues, type CheckedValues, type ScoredItem } from './check.js';
import { readValuesFile } from './read.js';

export { checkValues, parseAmount, type CheckedValues, type ManualValue, type ScoredItem } from './check.js';
export { readValuesFile, VALUE_COLUMNS } from './read.js';
export { customId, customResult, manualWords, NEEDS_VALUE, withCustomResults } from './results.js';

/** Read and check a values file: the usable values, and every problem (errors stop the command) with its row. */
export async function loadValues(file: string, plan: { custom: CustomTarget[]; scored: ScoredItem[]; villages?: string[]; subjects?: string[] }, catalog: IndicatorCatalog): Promise<CheckedValues> {
  const read = await readValuesFile(file);
  const checked = checkValues(read.rows, plan, catalog);
  return { values: checked.values, issues: [...read.issues, ...checked.issues] };
}
