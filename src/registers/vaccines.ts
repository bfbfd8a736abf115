// Vaccine names as written → schedule codes and dose numbers, read from the immunization schedule (memoised per import).
import { parseVaccineName } from '../catalog/vaccine-names.js';

/** A memoising name → { code, dose } function. */
export function vaccineMapper(): (name: string) => { code?: string; dose?: number } {
  const cache = new Map<string, { code?: string; dose?: number }>();
  return (name) => {
    let hit = cache.get(name);
    if (!hit) {
      hit = parseVaccineName(name);
      cache.set(name, hit);
    }
    return hit;
  };
}
