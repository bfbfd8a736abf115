// The one place plan import reaches the indicator catalogue: a name → indicator lookup (exact names and aliases only).
import { loadIndicatorCatalog } from '../catalog/indicators.js';

export interface IndicatorRef {
  id: string;
  name: string;
  /** % for rates, 次/人/份 for counts. */
  unit: string;
}

export type IndicatorLookup = (name: string) => IndicatorRef | undefined;

/** Look a name up among the catalogue's names and aliases (full-width/half-width and 0～6/0-6 spellings alike). */
export function catalogueLookup(): IndicatorLookup {
  const catalog = loadIndicatorCatalog();
  return (name) => {
    const d = catalog.resolve(name);
    return d ? { id: d.id, name: d.name, unit: d.unit } : undefined;
  };
}
