// Vaccine names as written → schedule codes, via the immunization schedule (cached per import).
import { parseVaccineName } from '../indicators/immunization/schedule.js';
import { halfWidth } from './normalize.js';

// Used only if the schedule files cannot be loaded.
const FALLBACK: [RegExp, string][] = [
  [/乙肝|乙型肝炎/, 'HepB'], [/卡介/, 'BCG'], [/脊灰|ipv|bopv|糖丸/i, 'Polio'], [/白破/, 'DT'], [/百白破/, 'DTaP'],
  [/麻腮风|麻风腮/, 'MMR'], [/乙脑/, 'JE-L'], [/A群C群|A\+C/i, 'MPSV-AC'], [/A群流脑/, 'MPSV-A'], [/甲肝/, 'HepA-L'],
];

/** A memoising name → { code, dose } function. */
export function vaccineMapper(): (name: string) => { code?: string; dose?: number } {
  const cache = new Map<string, { code?: string; dose?: number }>();
  let broken = false;
  return (name) => {
    let hit = cache.get(name);
    if (hit) return hit;
    if (!broken) {
      try {
        hit = parseVaccineName(name);
      } catch {
        broken = true;
      }
    }
    if (!hit) {
      const n = halfWidth(name);
      const m = /第?(\d+)[剂针]/.exec(n);
      const f = FALLBACK.find(([re]) => re.test(n));
      hit = { code: f?.[1], dose: m ? Number(m[1]) : undefined };
    }
    cache.set(name, hit);
    return hit;
  };
}
