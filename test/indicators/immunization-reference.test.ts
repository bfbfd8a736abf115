// The optimised computation against a plain, literal implementation of indicators.md on generated registers.
import { afterAll, describe, expect, it } from 'vitest';
import { computeImmunization } from '../../src/indicators/immunization/compute.js';
import { dueDate } from '../../src/calendar.js';
import { loadSchedule, type Schedule } from '../../src/catalog/schedule.js';
import { tempDb, type ChildRow, type VacRow } from './immunization-helpers.js';
import type { Period } from '../../src/indicators/types.js';
import { childDosesFresh, refreshChildDoses } from '../../src/registers/child-doses.js';

let seed = 12345;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const addDays = (iso: string, n: number) => new Date(Date.parse(iso + 'T00:00:00Z') + n * 86400000).toISOString().slice(0, 10);

const children: ChildRow[] = [];
const vacs: VacRow[] = [];
const s2021 = loadSchedule('2021');
const s2025 = loadSchedule('2025');
const allDoses = [...s2021.doses, ...s2025.doses.filter((d) => d.code === 'DTaP' && d.dose === 5)];
for (let i = 0; i < 500; i++) {
  // Births cluster on month ends to exercise the clamp.
  const birth = rnd() < 0.3 ? pick(['2024-01-31', '2023-08-31', '2024-02-29', '2019-02-28', '2020-02-29', '2024-12-31', '2025-01-31', '2018-06-01']) : addDays('2017-10-01', Math.floor(rnd() * 3100));
  const status = pick(['在册', '在册', '在册', '迁出', '死亡', null]);
  children.push({
    child_id: `R${i}`,
    birth_date: birth,
    village: pick(['青石村', '东溪村', '南岭村', null]),
    status,
    status_date: status && status !== '在册' && rnd() < 0.9 ? addDays('2024-06-01', Math.floor(rnd() * 700)) : null,
    resident_since: rnd() < 0.4 ? addDays(birth, Math.floor(rnd() * 2000)) : null,
    certificate_date: rnd() < 0.8 ? addDays(birth, Math.floor(rnd() * 200)) : null,
  });
  for (const d of allDoses) {
    if (rnd() < 0.2) continue;
    const due = dueDate(birth, d.due);
    const given = addDays(due, Math.floor(rnd() * 70) - 10);
    if (given > '2026-06-30') continue;
    const name = rnd() < 0.1 ? pick([`${d.vaccineName}`, d.code]) : d.code;
    vacs.push([`R${i}`, name, d.dose, rnd() < 0.02 ? null : given]);
  }
}
// Duplicated and unknown rows.
vacs.push(['R1', '水痘疫苗', 1, '2025-03-01']);
const t = tempDb(children, vacs);
// The same registers with the per-child facts an import stores (registers/child-doses.ts): read instead of the registers.
const tf = tempDb(children, vacs);
refreshChildDoses(tf.db);
const byChild = new Map<string, VacRow[]>();
for (const r of vacs) byChild.set(r[0], [...(byChild.get(r[0]) ?? []), r]);
afterAll(() => {
  t.cleanup();
  tf.cleanup();
});

/** Literal reading of indicators.md + the documented choices, with string dates and dueDate(). */
function reference(schedule: Schedule | 'auto', p: Period, by: 'village' | null) {
  const { start: S, end: E } = p;
  const E3 = dueDate(E, { months: -3 });
  const counts = new Map<string, [number, number]>();
  const add = (id: string, g: string | null, inNum: boolean) => {
    for (const key of by ? [`${id}|`, `${id}|${g ?? '（未填写）'}`] : [`${id}|`]) {
      const c = counts.get(key) ?? [0, 0];
      c[1]++;
      if (inNum) c[0]++;
      counts.set(key, c);
    }
  };
  const names = new Map<string, string>(s2021.vaccines.concat(s2025.vaccines).map((x) => [x.name, x.code]));
  const dose = (id: string, code: string, n: number): string | undefined => {
    const ds = (byChild.get(id) ?? [])
      .filter(([, v, k, date]) => k === n && date && (v === code || names.get(v) === code))
      .map((r) => r[3]!)
      .sort();
    return ds[0];
  };
  for (const c of children) {
    const b = c.birth_date!;
    if (b > E) continue;
    const g = by ? (c.village ?? null) : null;
    const sched = schedule === 'auto' ? (b >= '2025-01-01' ? s2025 : s2021) : schedule;
    if (b >= S) {
      const d = dose(c.child_id, 'HepB', 1);
      add('hepb-birth-dose-timely-rate', g, d !== undefined && d <= dueDate(b, { days: 1 }) && d <= E);
    }
    const inReg = c.status === '在册' || (c.status_date != null && c.status_date > E);
    if (!inReg) continue;
    const [by_, bm, bd] = b.split('-').map(Number) as [number, number, number];
    const [ey, em, ed] = E.split('-').map(Number) as [number, number, number];
    const age = ey - by_ - (em < bm || (em === bm && ed < bd) ? 1 : 0);
    if (age < 7 && (c.resident_since ?? b) <= E3) add('vaccination-certificate-rate', g, c.certificate_date != null && c.certificate_date <= E);
    for (const d of sched.doses) {
      const due = dueDate(b, d.due);
      if (due < S || due > E) continue;
      const given = dose(c.child_id, d.code, d.dose);
      const done = given !== undefined && given <= E;
      add(`coverage.${d.code}.${d.dose}`, g, done);
      add(`timely-coverage.${d.code}.${d.dose}`, g, done && given! <= dueDate(due, d.timely)); // a dose after E never counts
      const months = (d.due.years ?? 0) * 12 + (d.due.months ?? 0);
      add(months < 12 ? 'coverage-0y' : 'coverage-1-6y', g, done);
      if (d.code === 'DTaP' && d.dose === 3) {
        const first = dose(c.child_id, 'DTaP', 1);
        if (first !== undefined && first <= E) add('dtap-dropout-rate', g, !done);
      }
    }
  }
  return counts;
}

const periods: Period[] = [
  { label: '2025', start: '2025-01-01', end: '2025-12-31' },
  { label: '2025Q2', start: '2025-04-01', end: '2025-06-30' },
  { label: '2025-02', start: '2025-02-01', end: '2025-02-28' },
  { label: '2024-02', start: '2024-02-01', end: '2024-02-29' },
  { label: '2025-01..2025-06', start: '2025-01-01', end: '2025-06-30' },
  { label: '2025-12', start: '2025-12-01', end: '2025-12-31' },
];

describe('optimised computation = literal reference', () => {
  it.each(
    (['2021', '2025', 'auto'] as const).flatMap((s) =>
      periods.flatMap((p) => (['registers', 'stored facts'] as const).flatMap((src) => [[s, p.label, 'village', src] as const, [s, p.label, null, src] as const])),
    ),
  )('schedule %s, period %s, by %s, from the %s', (schedule, label, by, src) => {
    const p = periods.find((x) => x.label === label)!;
    const db = src === 'registers' ? t.db : tf.db;
    expect(childDosesFresh(db)).toBe(src !== 'registers');
    const got = computeImmunization(db, { period: p, by, schedule });
    const want = reference(schedule === 'auto' ? 'auto' : loadSchedule(schedule), p, by);
    let nonEmpty = 0;
    for (const c of got.counts) {
      const w = want.get(`${c.id}|${c.group ?? ''}`) ?? [0, 0];
      expect([c.numerator, c.denominator], `${c.id} ${c.group}`).toEqual(w);
      if (c.denominator > 0) nonEmpty++;
    }
    // Every reference count appears in the result.
    for (const [key, w] of want) {
      const [id, g] = key.split('|') as [string, string];
      const c = got.counts.find((x) => x.id === id && (x.group ?? '') === g);
      expect(c ? [c.numerator, c.denominator] : undefined, key).toEqual(w);
    }
    expect(nonEmpty).toBeGreaterThan(5);
  });
});
