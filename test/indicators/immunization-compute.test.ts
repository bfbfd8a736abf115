// Immunization indicators on hand-built rows at every boundary of indicators.md (SQLite on disk).
import { afterEach, describe, expect, it } from 'vitest';
import {
  computeImmunization,
  immunizationGaps,
  immunizationDataQuality,
  immunizationIndicatorIds,
  type ImmunizationOptions,
} from '../../src/indicators/immunization/compute.js';
import { UNKNOWN_GROUP } from '../../src/indicators/types.js';
import { parsePeriod } from '../../src/indicators/period.js';
import { tempDb, period, type ChildRow, type VacRow } from './immunization-helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function compute(children: ChildRow[], vacs: VacRow[], opts: Omit<Partial<ImmunizationOptions>, "period"> & { period: string }) {
  const t = tempDb(children, vacs);
  cleanups.push(t.cleanup);
  const r = computeImmunization(t.db, { ...opts, period: period(opts.period) });
  const get = (id: string, group: string | null = null) => {
    const c = r.counts.find((x) => x.id === id && x.group === group);
    return c ? [c.numerator, c.denominator] : undefined;
  };
  return { r, get, db: t.db };
}

describe('hepb-birth-dose-timely-rate: HepB dose 1 on day 0/1/2', () => {
  const children: ChildRow[] = [
    { child_id: 'd0', birth_date: '2025-03-10' },
    { child_id: 'd1', birth_date: '2025-03-10' },
    { child_id: 'd2', birth_date: '2025-03-10' },
    { child_id: 'none', birth_date: '2025-03-10' },
    { child_id: 'moved', birth_date: '2025-03-31', status: '迁出', status_date: '2025-04-02' }, // any status
    { child_id: 'dead', birth_date: '2025-03-31', status: '死亡', status_date: null },
    { child_id: 'eom', birth_date: '2025-02-28' }, // +1 day = 03-01
    { child_id: 'before', birth_date: '2025-02-28', status: '在册' }, // born outside P (2025-03)
  ];
  const vacs: VacRow[] = [
    ['d0', 'HepB', 1, '2025-03-10'],
    ['d1', 'HepB', 1, '2025-03-11'],
    ['d2', 'HepB', 1, '2025-03-12'],
    ['moved', 'HepB', 1, '2025-03-31'],
    ['dead', '乙肝疫苗', 1, '2025-04-01'], // raw name resolved; day 1
    ['eom', 'HepB', 1, '2025-03-01'],
  ];
  it('counts children born in P, any status, dose ≤ birth + 1 day', () => {
    const { get } = compute(children, vacs, { period: '2025-03' });
    expect(get('hepb-birth-dose-timely-rate')).toEqual([3, 6]); // d0 d1 moved (dead: day 1 is 04-01, after E) / d0 d1 d2 none moved dead
    const feb = compute(children, vacs, { period: '2025-02' });
    expect(feb.get('hepb-birth-dose-timely-rate')).toEqual([0, 2]); // eom: 03-01 = birth + 1 day but after E; before: none
    expect(compute(children, vacs, { period: '2025Q1' }).get('hepb-birth-dose-timely-rate')).toEqual([4, 8]); // Q1 ends after eom's dose (03-01), not after dead's (04-01)
  });
  it('born on E with the dose on E + 1: a dose after E never counts in P (the closed period does not change)', () => {
    const kids: ChildRow[] = [{ child_id: 'x', birth_date: '2025-12-31' }];
    const { get } = compute(kids, [['x', 'HepB', 1, '2026-01-01']], { period: '2025' });
    expect(get('hepb-birth-dose-timely-rate')).toEqual([0, 1]);
    expect(compute(kids, [], { period: '2025' }).get('hepb-birth-dose-timely-rate')).toEqual([0, 1]); // the same before the dose arrived
  });
  it('gap rows: 未及时 for day 2, 应种未种 for none', () => {
    const t = tempDb(children, vacs);
    cleanups.push(t.cleanup);
    const rows = immunizationGaps(t.db, 'hepb-birth-dose-timely-rate', { period: period('2025-03') });
    expect(rows.map((r) => [r.childId, r.reasonCode, r.dueDate, r.timelyBy, r.vaccinationDate])).toEqual([
      ['d2', 'NOT_TIMELY', '2025-03-10', '2025-03-11', '2025-03-12'],
      ['none', 'NOT_VACCINATED', '2025-03-10', '2025-03-11', undefined],
      ['dead', 'NOT_VACCINATED', '2025-03-31', '2025-04-01', '2025-04-01'], // not vaccinated by E; the later dose is shown
    ]);
    expect(rows[0]!.name).toBe('张小明');
    expect(rows[0]!.village).toBe('青石村');
  });
});

describe('coverage: due dates at the end of a month', () => {
  const children: ChildRow[] = [
    { child_id: 'jan31', birth_date: '2024-01-31' }, // HepB.2 due 2024-02-29
    { child_id: 'aug31', birth_date: '2023-08-31' }, // HepB.3 due 2024-02-29
    { child_id: 'feb29', birth_date: '2024-02-29' }, // HepB.2 due 2024-03-29; JE-L.2 due 2026-02-28
  ];
  it.each([
    ['2024-02', 'coverage.HepB.2', [1, 1]],
    ['2024-03', 'coverage.HepB.2', [0, 1]],
    ['2024-02', 'coverage.HepB.3', [0, 1]],
    ['2024-03', 'coverage.HepB.3', [0, 0]],
    ['2026-02', 'coverage.JE-L.2', [0, 1]],
    ['2026-03', 'coverage.JE-L.2', [0, 0]],
    ['2025-02', 'coverage.HepB.3', [0, 0]],
  ] as const)('%s %s → %j', (p, id, want) => {
    const { get } = compute(children, [['jan31', 'HepB', 2, '2024-02-20']], { period: p });
    expect(get(id)).toEqual(want);
  });
});

describe('in register at E: children who moved out before or after E', () => {
  // HepB.3 due 2025-06-15 for all; period 2025Q2, E = 2025-06-30.
  const base = { birth_date: '2024-12-15' };
  const children: ChildRow[] = [
    { child_id: 'stay', ...base },
    { child_id: 'nullStatus', ...base, status: null }, // empty status is not 在册
    { child_id: 'nullStatusDateAfterE', ...base, status: null, status_date: '2025-07-01' }, // … but a status change after E counts
    { child_id: 'nullStatusDateOnE', ...base, status: null, status_date: '2025-06-30' },
    { child_id: 'outOnE', ...base, status: '迁出', status_date: '2025-06-30' },
    { child_id: 'outAfterE', ...base, status: '迁出', status_date: '2025-07-01' },
    { child_id: 'diedAfterE', ...base, status: '死亡', status_date: '2025-08-01' },
    { child_id: 'outNoDate', ...base, status: '迁出', status_date: null },
    { child_id: 'bornAfterE', birth_date: '2025-07-01' },
  ];
  it('status 在册 or status change dated after E; an empty status is not 在册', () => {
    const { get, r } = compute(children, [['outAfterE', 'HepB', 3, '2025-06-20'], ['nullStatus', 'HepB', 3, '2025-06-20']], { period: '2025Q2' });
    expect(get('coverage.HepB.3')).toEqual([1, 4]); // stay, nullStatusDateAfterE, outAfterE, diedAfterE
    expect(r.notes.find((n) => n.code === 'DQ_CHILD_STATUS_NO_DATE')!.count).toBe(1); // outNoDate
    expect(r.notes.find((n) => n.code === 'DQ_CHILD_STATUS_EMPTY')!.count).toBe(2); // nullStatus, nullStatusDateOnE
  });
  it('an empty status counts from the period before its status date is passed', () => {
    // E = 2025-06-30 for 2025Q2; for 2025-06 too. With E before the status date the child is in register.
    const { get } = compute([{ child_id: 'x', ...base, status: null, status_date: '2025-07-01' }], [], { period: '2025-06' });
    expect(get('coverage.HepB.3')).toEqual([0, 1]);
    const later = compute([{ child_id: 'x', ...base, status: null, status_date: '2025-06-30' }], [], { period: '2025-06' });
    expect(later.get('coverage.HepB.3')).toEqual([0, 0]);
  });
  it('建证率 uses the same rule: an empty status is not in register', () => {
    const kids: ChildRow[] = [
      { child_id: 'a', birth_date: '2024-01-01', certificate_date: '2024-02-01' },
      { child_id: 'b', birth_date: '2024-01-01', certificate_date: '2024-02-01', status: null },
    ];
    const { get } = compute(kids, [], { period: '2025' });
    expect(get('vaccination-certificate-rate')).toEqual([1, 1]);
  });
});

describe('实种: dose dates relative to due date and E', () => {
  // HepB.3 due 2025-06-15; period 2025-06.
  const children: ChildRow[] = ['early', 'onE', 'afterE', 'none', 'noDate', 'dup'].map((id) => ({ child_id: id, birth_date: '2024-12-15' }));
  const vacs: VacRow[] = [
    ['early', 'HepB', 3, '2025-05-01'], // before the due date and before S: 实种
    ['onE', 'HepB', 3, '2025-06-30'],
    ['afterE', 'HepB', 3, '2025-07-01'], // after E: not 实种
    ['noDate', 'HepB', 3, null],
    ['dup', 'HepB', 3, '2025-07-02'],
    ['dup', '乙肝疫苗', 3, '2025-06-10'], // same dose twice (raw name): earliest counts
  ];
  it('dose before due date counts, dose after E does not, empty date does not', () => {
    const { get, r } = compute(children, vacs, { period: '2025-06' });
    expect(get('coverage.HepB.3')).toEqual([3, 6]);
    expect(r.notes.find((n) => n.code === 'DQ_VACCINATION_NO_DATE')?.count).toBe(1);
  });
  it('gap rows name the vaccine, dose and due date; a dose after E is shown', () => {
    const t = tempDb(children, vacs);
    cleanups.push(t.cleanup);
    const rows = immunizationGaps(t.db, 'coverage.HepB.3', { period: period('2025-06') });
    expect(rows.map((r) => [r.childId, r.reason, r.vaccine, r.dose, r.dueDate, r.vaccinationDate])).toEqual([
      ['afterE', '应种未种', 'HepB', 3, '2025-06-15', '2025-07-01'],
      ['noDate', '应种未种', 'HepB', 3, '2025-06-15', undefined], // same village, doctor, birth: by child id
      ['none', '应种未种', 'HepB', 3, '2025-06-15', undefined],
    ]);
    expect(rows[0]!.vaccineName).toBe('乙肝疫苗');
  });
});

describe('timely-coverage: due date + 1 month on the calendar', () => {
  // born 2025-01-28: HepB.2 due 2025-02-28, timely by 2025-03-28. Period 2025-02..2025-04 via year.
  const children: ChildRow[] = ['onTime', 'lastDay', 'late', 'early', 'never'].map((id) => ({ child_id: id, birth_date: '2025-01-28' }));
  const vacs: VacRow[] = [
    ['onTime', 'HepB', 2, '2025-02-28'],
    ['lastDay', 'HepB', 2, '2025-03-28'],
    ['late', 'HepB', 2, '2025-03-29'],
    ['early', 'HepB', 2, '2025-02-20'],
  ];
  it('counts doses given by the window end, early doses included', () => {
    const { get } = compute(children, vacs, { period: '2025' });
    expect(get('coverage.HepB.2')).toEqual([4, 5]);
    expect(get('timely-coverage.HepB.2')).toEqual([3, 5]);
  });
  it('a dose within the window but after E counts neither as 实种 nor as 及时 (及时 ≤ 实种)', () => {
    // E = 2025-02-28: lastDay (2025-03-28) and late are after E.
    const { get } = compute(children, vacs, { period: '2025-02' });
    expect(get('coverage.HepB.2')).toEqual([2, 5]);
    expect(get('timely-coverage.HepB.2')).toEqual([2, 5]);
  });
  it('HepB dose 1 on birth + 1 day after E is timely in neither timely indicator, in that period', () => {
    const kids: ChildRow[] = [{ child_id: 'eom', birth_date: '2025-02-28' }];
    const { get } = compute(kids, [['eom', 'HepB', 1, '2025-03-01']], { period: '2025-02' });
    expect(get('coverage.HepB.1')).toEqual([0, 1]);
    expect(get('timely-coverage.HepB.1')).toEqual([0, 1]);
    expect(get('hepb-birth-dose-timely-rate')).toEqual([0, 1]);
    // A period that ends after the dose counts it as timely.
    const q1 = compute(kids, [['eom', 'HepB', 1, '2025-03-01']], { period: '2025Q1' });
    expect(q1.get('timely-coverage.HepB.1')).toEqual([1, 1]);
    expect(q1.get('hepb-birth-dose-timely-rate')).toEqual([1, 1]);
  });
  it('timely never exceeds coverage, for every dose and group', () => {
    for (const p of ['2025-02', '2025-03', '2025']) {
      const r = compute(children, vacs, { period: p });
      expect(r.get('timely-coverage.HepB.2')![0]).toBeLessThanOrEqual(r.get('coverage.HepB.2')![0]!);
    }
  });
  it('timely gap rows: 未及时 with the window end, 应种未种 without a dose', () => {
    const t = tempDb(children, vacs);
    cleanups.push(t.cleanup);
    const rows = immunizationGaps(t.db, 'timely-coverage.HepB.2', { period: period('2025') });
    expect(rows.map((r) => [r.childId, r.reasonCode, r.timelyBy])).toEqual([
      ['late', 'NOT_TIMELY', '2025-03-28'],
      ['never', 'NOT_VACCINATED', '2025-03-28'],
    ]);
  });
});

describe('coverage-0y and coverage-1-6y: grouped by the due age of the dose', () => {
  // Period 2025-07.
  const children: ChildRow[] = [
    { child_id: 'm8', birth_date: '2024-11-15' }, // 8 months on 2025-07-15: MMR.1, JE-L.1 (0y)
    { child_id: 'm18', birth_date: '2024-01-15' }, // 18 months on 2025-07-15: DTaP.4, MMR.2, HepA-L.1 (1-6y)
    { child_id: 'y6', birth_date: '2019-07-15' }, // 6 years: DT.1, MPSV-AC.2 (1-6y)
    { child_id: 'y6late', birth_date: '2019-08-01' }, // 6 years on 2025-08-01: not due in P
  ];
  const vacs: VacRow[] = [
    ['m8', 'MMR', 1, '2025-07-15'],
    ['m18', 'DTaP', 4, '2025-07-20'],
    ['m18', 'MMR', 2, '2025-07-20'],
    ['y6', 'DT', 1, '2025-07-16'],
    ['y6late', 'DT', 1, '2025-07-30'], // early, but not due in P
  ];
  it('Σ 实种 / Σ 应种 per dose group', () => {
    const { get } = compute(children, vacs, { period: '2025-07' });
    expect(get('coverage-0y')).toEqual([1, 2]);
    expect(get('coverage-1-6y')).toEqual([3, 5]);
    expect(get('coverage.DT.1')).toEqual([1, 1]);
  });
  it('the 0y gap list has one row per missing dose', () => {
    const t = tempDb(children, vacs);
    cleanups.push(t.cleanup);
    const rows = immunizationGaps(t.db, 'coverage-0y', { period: period('2025-07') });
    expect(rows.map((r) => `${r.childId}:${r.vaccine}.${r.dose}`)).toEqual(['m8:JE-L.1']);
    const rows16 = immunizationGaps(t.db, 'coverage-1-6y', { period: period('2025-07') });
    expect(rows16.map((r) => `${r.childId}:${r.vaccine}.${r.dose}`).sort()).toEqual(['m18:HepA-L.1', 'y6:MPSV-AC.2']);
  });
});

describe('dtap-dropout-rate', () => {
  // 2021: DTaP.3 due at 5 months. born 2025-01-10 → due 2025-06-10. Period 2025-06.
  const children: ChildRow[] = [
    { child_id: 'drop', birth_date: '2025-01-10' },
    { child_id: 'full', birth_date: '2025-01-10' },
    { child_id: 'noFirst', birth_date: '2025-01-10' },
    { child_id: 'firstAfterE', birth_date: '2025-01-10' },
    { child_id: 'thirdAfterE', birth_date: '2025-01-10' },
    { child_id: 'notDue', birth_date: '2025-02-10' },
  ];
  const vacs: VacRow[] = [
    ['drop', 'DTaP', 1, '2025-04-10'],
    ['full', 'DTaP', 1, '2025-04-10'],
    ['full', 'DTaP', 3, '2025-06-12'],
    ['noFirst', 'DTaP', 3, '2025-06-12'],
    ['firstAfterE', 'DTaP', 1, '2025-07-01'],
    ['thirdAfterE', 'DTaP', 1, '2025-04-10'],
    ['thirdAfterE', 'DTaP', 3, '2025-07-01'],
    ['notDue', 'DTaP', 1, '2025-05-10'],
  ];
  it('denominator: DTaP.3 due in P and DTaP.1 by E; numerator: no DTaP.3 by E', () => {
    const { get } = compute(children, vacs, { period: '2025-06' });
    expect(get('dtap-dropout-rate')).toEqual([2, 3]); // drop, thirdAfterE / drop, full, thirdAfterE
  });
  it('with the 2025 schedule DTaP.3 is due at 6 months', () => {
    const { get } = compute(children, vacs, { period: '2025-06', schedule: '2025' });
    expect(get('dtap-dropout-rate')).toEqual([0, 0]);
    const jul = compute(children, vacs, { period: '2025-07', schedule: '2025' });
    // due 2025-07-10; DTaP.1 by 07-31: drop, full, firstAfterE, thirdAfterE; without DTaP.3 by E: drop, firstAfterE
    expect(jul.get('dtap-dropout-rate')).toEqual([2, 4]);
  });
  it('gap rows list the children without dose 3', () => {
    const t = tempDb(children, vacs);
    cleanups.push(t.cleanup);
    const rows = immunizationGaps(t.db, 'dtap-dropout-rate', { period: period('2025-06') });
    expect(rows.map((r) => [r.childId, r.vaccine, r.dose])).toEqual([
      ['drop', 'DTaP', 3],
      ['thirdAfterE', 'DTaP', 3],
    ]);
  });
});

describe('vaccination-certificate-rate (建证率)', () => {
  // Period 2025-05: E = 2025-05-31, E − 3 months = 2025-02-28.
  const children: ChildRow[] = [
    { child_id: 'age6', birth_date: '2018-06-01', certificate_date: '2018-07-01' }, // 6 on E
    { child_id: 'age7', birth_date: '2018-05-31', certificate_date: '2018-07-01' }, // 7 on E: out
    { child_id: 'rsIn', birth_date: '2020-01-01', resident_since: '2025-02-28' },
    { child_id: 'rsOut', birth_date: '2020-01-01', resident_since: '2025-03-01', certificate_date: '2025-03-05' },
    { child_id: 'bornIn', birth_date: '2025-02-28', certificate_date: '2025-03-05' },
    { child_id: 'bornOut', birth_date: '2025-03-01' },
    { child_id: 'certAfterE', birth_date: '2024-01-01', certificate_date: '2025-06-01' },
    { child_id: 'movedOut', birth_date: '2024-01-01', status: '迁出', status_date: '2025-05-01', certificate_date: '2024-02-01' },
  ];
  it('counts children < 7 at E, resident since ≤ E − 3 months; certificate ≤ E', () => {
    const { get } = compute(children, [], { period: '2025-05' });
    expect(get('vaccination-certificate-rate')).toEqual([2, 4]); // age6, bornIn / age6 rsIn bornIn certAfterE
  });
  it('gap rows: 未建证', () => {
    const t = tempDb(children, []);
    cleanups.push(t.cleanup);
    const rows = immunizationGaps(t.db, 'vaccination-certificate-rate', { period: period('2025-05') });
    expect(rows.map((r) => [r.childId, r.reasonCode, r.reason])).toEqual([
      ['rsIn', 'NO_CERTIFICATE', '未建证'],
      ['certAfterE', 'NO_CERTIFICATE', '未建证'],
    ]);
  });
  it('E − 3 months on a 31st clamps to the end of February (leap year)', () => {
    const { get } = compute(
      [
        { child_id: 'a', birth_date: '2020-01-01', resident_since: '2024-02-29' },
        { child_id: 'b', birth_date: '2020-01-01', resident_since: '2024-03-01' },
      ],
      [],
      { period: '2024-05' },
    );
    expect(get('vaccination-certificate-rate')).toEqual([0, 1]);
  });
});

describe('2021 vs 2025 schedules', () => {
  const children: ChildRow[] = [
    { child_id: 'c24', birth_date: '2024-12-10' },
    { child_id: 'c25', birth_date: '2025-01-10' },
    { child_id: 'c19', birth_date: '2019-03-10' }, // 6 years on 2025-03-10
  ];
  const vacs: VacRow[] = [
    ['c25', 'DTaP', 1, '2025-03-12'],
    ['c19', 'DT', 1, '2025-03-11'],
    ['c19', 'DTaP', 5, '2025-03-11'],
  ];
  it('ids: DT.1 only in 2021, DTaP.5 only in 2025, both with auto', () => {
    expect(immunizationIndicatorIds('2021')).toContain('coverage.DT.1');
    expect(immunizationIndicatorIds('2021')).not.toContain('coverage.DTaP.5');
    expect(immunizationIndicatorIds('2025')).toContain('timely-coverage.DTaP.5');
    expect(immunizationIndicatorIds('2025')).not.toContain('coverage.DT.1');
    expect(immunizationIndicatorIds('auto')).toEqual(expect.arrayContaining(['coverage.DT.1', 'coverage.DTaP.5']));
    expect(immunizationIndicatorIds()).toEqual(immunizationIndicatorIds('2021'));
  });
  it.each([
    // schedule, period, id, want
    ['2021', '2025-03', 'coverage.DTaP.1', [0, 1]], // c24: 3 months = 2025-03-10
    ['2025', '2025-03', 'coverage.DTaP.1', [1, 1]], // c25: 2 months = 2025-03-10
    ['auto', '2025-03', 'coverage.DTaP.1', [1, 2]], // c24 on 2021 and c25 on 2025 both due
    ['2021', '2025-03', 'coverage.DT.1', [1, 1]],
    ['2025', '2025-03', 'coverage.DTaP.5', [1, 1]],
    ['auto', '2025-03', 'coverage.DT.1', [1, 1]], // c19 born before 2025: 2021 schedule
    ['auto', '2025-03', 'coverage.DTaP.5', [0, 0]],
    ['2025', '2025-02', 'coverage.DTaP.4', [0, 0]],
    ['2021', '2025-04', 'coverage.DTaP.1', [1, 1]], // c25: 3 months = 2025-04-10; the earlier 03-12 dose counts
  ] as const)('%s %s %s → %j', (schedule, p, id, want) => {
    const { get, r } = compute(children, vacs, { period: p, schedule });
    expect(get(id)).toEqual(want);
    expect(r.schedule).toBe(schedule);
  });
});

describe('breakdown by village and doctor', () => {
  const children: ChildRow[] = [
    { child_id: 'a', birth_date: '2025-03-10', village: '青石村', doctor: '王医生' },
    { child_id: 'b', birth_date: '2025-03-11', village: '东溪村', doctor: '王医生' },
    { child_id: 'c', birth_date: '2025-03-12', village: null, doctor: null },
    { child_id: 'old', birth_date: '2010-03-12', village: '南岭村' }, // too old for any indicator
  ];
  const vacs: VacRow[] = [['a', 'HepB', 1, '2025-03-10'], ['c', 'HepB', 1, '2025-03-12']];
  it('by village: totals first, then one row per village (empty → 未填写)', () => {
    const { r, get } = compute(children, vacs, { period: '2025-03', by: 'village' });
    expect(r.counts[0]!.group).toBeNull();
    expect(get('hepb-birth-dose-timely-rate')).toEqual([2, 3]);
    expect(get('hepb-birth-dose-timely-rate', '青石村')).toEqual([1, 1]);
    expect(get('hepb-birth-dose-timely-rate', '东溪村')).toEqual([0, 1]);
    expect(get('hepb-birth-dose-timely-rate', UNKNOWN_GROUP)).toEqual([1, 1]);
    const groups = new Set(r.counts.map((c) => c.group));
    expect(groups.has('南岭村')).toBe(false);
  });
  it('by doctor', () => {
    const { get } = compute(children, vacs, { period: '2025-03', by: 'doctor' });
    expect(get('hepb-birth-dose-timely-rate', '王医生')).toEqual([1, 2]);
  });
  it('only: restricts the ids returned', () => {
    const { r } = compute(children, vacs, { period: '2025-03', only: ['coverage.HepB.1'] });
    expect(r.counts.map((c) => c.id)).toEqual(['coverage.HepB.1']);
  });
});

describe('data-quality notes', () => {
  const children: ChildRow[] = [
    { child_id: 'a', birth_date: '2025-03-10' },
    { child_id: 'nobirth', birth_date: null },
  ];
  const vacs: VacRow[] = [
    ['a', 'HepB', 1, '2025-03-10'],
    ['a', '水痘疫苗', 1, '2025-03-10'],
    ['a', '水痘疫苗', 2, '2025-03-10'],
    ['ghost', 'HepB', 1, '2025-03-10'],
    ['a', 'HepB', 4, '2025-03-10'],
  ];
  it('unknown vaccines, children not in the roster, doses beyond the schedule, missing birth dates', () => {
    const t = tempDb(children, vacs);
    cleanups.push(t.cleanup);
    const notes = immunizationDataQuality(t.db, { period: period('2025') });
    const byCode = Object.fromEntries(notes.map((n) => [n.code, n]));
    expect(byCode.DQ_UNKNOWN_VACCINE?.count).toBe(2);
    expect(byCode.DQ_UNKNOWN_VACCINE?.examples).toEqual(['水痘疫苗']);
    expect(byCode.DQ_VACCINATION_CHILD_NOT_IN_ROSTER?.count).toBe(1);
    expect(byCode.DQ_VACCINATION_CHILD_NOT_IN_ROSTER?.examples).toEqual(['ghost']);
    expect(byCode.DQ_DOSE_NOT_IN_SCHEDULE?.count).toBe(1);
    expect(byCode.DQ_CHILD_NO_BIRTH_DATE?.count).toBe(1);
    const r = computeImmunization(t.db, { period: period('2025') });
    const hepb = r.counts.find((c) => c.id === 'coverage.HepB.1')!;
    expect([hepb.numerator, hepb.denominator]).toEqual([1, 1]); // the ghost's dose is not counted anywhere
  });
  it('notes: false skips the whole-table scan but keeps the counts', () => {
    const t = tempDb(children, vacs);
    cleanups.push(t.cleanup);
    const r = computeImmunization(t.db, { period: period('2025'), notes: false });
    expect(r.notes.map((n) => n.code)).not.toContain('DQ_VACCINATION_CHILD_NOT_IN_ROSTER');
    expect(r.notes.map((n) => n.code)).not.toContain('DQ_UNKNOWN_VACCINE');
    const hepb = r.counts.find((c) => c.id === 'coverage.HepB.1')!;
    expect([hepb.numerator, hepb.denominator]).toEqual([1, 1]);
  });
  it('a clean register has no notes', () => {
    const t = tempDb([{ child_id: 'a', birth_date: '2025-03-10' }], [['a', 'HepB', 1, '2025-03-10']]);
    cleanups.push(t.cleanup);
    expect(immunizationDataQuality(t.db, { period: period('2025') })).toEqual([]);
  });
});

describe('bad input', () => {
  it.each([
    [{ label: 'x', start: '2025-13-01', end: '2025-12-31' }, 'PERIOD_INVALID'],
    [{ label: 'x', start: '2025-12-31', end: '2025-01-01' }, 'PERIOD_INVALID'],
  ])('period %j → %s', (p, code) => {
    const t = tempDb([], []);
    cleanups.push(t.cleanup);
    expect(() => computeImmunization(t.db, { period: p })).toThrow(expect.objectContaining({ code }));
  });
  it('unknown schedule version', () => {
    const t = tempDb([], []);
    cleanups.push(t.cleanup);
    expect(() => computeImmunization(t.db, { period: period('2025'), schedule: '1999' })).toThrow(expect.objectContaining({ code: 'SCHEDULE_NOT_FOUND' }));
  });
  it('gaps for an id that is not immunization, or not in the schedule in use', () => {
    const t = tempDb([], []);
    cleanups.push(t.cleanup);
    expect(() => immunizationGaps(t.db, 'health-record-rate', { period: period('2025') })).toThrow(expect.objectContaining({ code: 'INDICATOR_NOT_IMMUNIZATION' }));
    expect(() => immunizationGaps(t.db, 'coverage.DT.1', { period: period('2025'), schedule: '2025' })).toThrow(
      expect.objectContaining({ code: 'INDICATOR_NOT_IN_SCHEDULE' }),
    );
  });
  it('empty registers give zero denominators, not invented values', () => {
    const t = tempDb([], []);
    cleanups.push(t.cleanup);
    const r = computeImmunization(t.db, { period: period('2025') });
    expect(r.counts.length).toBe(immunizationIndicatorIds('2021').length);
    expect(r.counts.every((c) => c.numerator === 0 && c.denominator === 0)).toBe(true);
  });
  it('a database without the tables (nothing imported yet) gives zero denominators', async () => {
    const { openDatabase } = await import('../../src/db.js');
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongwei-imm-empty-'));
    const db = openDatabase(path.join(dir, 'e.sqlite'));
    cleanups.push(() => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const r = computeImmunization(db, { period: period('2025') });
    expect(r.counts.every((c) => c.denominator === 0)).toBe(true);
  });
});

describe('birthWindow: the births whose due date falls in P', () => {
  it('matches a day-by-day search for end-of-month ages and periods', async () => {
    const { birthWindow } = await import('../../src/indicators/immunization/compute.js');
    const { addAgeInt, dayNumber, fromDayNumber } = await import('../../src/calendar.js');
    const ages = [{ days: 0 }, { months: 1 }, { months: 6 }, { months: 18 }, { years: 6 }, { years: 4 }];
    const periods: Array<[number, number]> = [
      [20250101, 20251231],
      [20250201, 20250228],
      [20240229, 20240229],
      [20250301, 20250331],
      [20240801, 20240831],
    ];
    for (const age of ages) {
      for (const [S, E] of periods) {
        let lo: number | undefined;
        let hi: number | undefined;
        const from = dayNumber(2017, 1, 1);
        const to = dayNumber(2026, 1, 1);
        for (let z = from; z <= to; z++) {
          const b = fromDayNumber(z);
          const due = addAgeInt(b, age);
          if (due >= S && due <= E) {
            lo ??= b;
            hi = b;
          }
        }
        expect(birthWindow(age, S, E), `${JSON.stringify(age)} ${S}..${E}`).toEqual(lo === undefined ? undefined : [lo, hi]);
      }
    }
  });
});

describe('notes are recomputed when the database changes', () => {
  it('an orphan vaccination added after a first run is reported on the next', () => {
    const t = tempDb([{ child_id: 'a', birth_date: '2025-03-10' }], [['a', 'HepB', 1, '2025-03-10']]);
    cleanups.push(t.cleanup);
    expect(immunizationDataQuality(t.db, { period: period('2025') })).toEqual([]);
    t.db.prepare("INSERT INTO vaccinations (child_id, vaccine, dose, vaccination_date) VALUES ('zz', 'HepB', 1, '2025-03-10')").run();
    const notes = immunizationDataQuality(t.db, { period: period('2025') });
    expect(notes.map((n) => n.code)).toEqual(['DQ_VACCINATION_CHILD_NOT_IN_ROSTER']);
  });
});

describe('repeated calls on one connection (cached full load) give the same counts as fresh connections', () => {
  it('months of 2025 and the year, by village, both schedules', async () => {
    const { openDatabase } = await import('../../src/db.js');
    const villages = ['青石村', '东溪村', '南岭村'];
    const children: ChildRow[] = [];
    const vacs: VacRow[] = [];
    // Deterministic spread of births over 2018-2025 with doses near (and sometimes well after) their due dates.
    let x = 7;
    const next = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
    const { loadSchedule } = await import('../../src/catalog/schedule.js');
    const { dueDate } = await import('../../src/calendar.js');
    const sched = loadSchedule('2021');
    for (let i = 0; i < 400; i++) {
      const day = Math.floor(next() * 2900);
      const birth = new Date(Date.UTC(2018, 0, 1) + day * 86400000).toISOString().slice(0, 10);
      const moved = next() < 0.1;
      children.push({
        child_id: `K${i}`,
        birth_date: birth,
        village: villages[i % 3],
        status: moved ? '迁出' : '在册',
        status_date: moved ? `2025-0${1 + Math.floor(next() * 9)}-15` : null,
        certificate_date: next() < 0.8 ? birth : null,
      });
      for (const d of sched.doses) {
        if (next() < 0.15) continue;
        const due = dueDate(birth, d.due);
        const given = dueDate(due, { days: Math.floor(next() * 60) });
        if (given <= '2026-03-01') vacs.push([`K${i}`, d.code, d.dose, given]);
      }
    }
    // A village whose only child is born in November 2025: no group before then. Doses without a date, and a
    // dose outside the schedule, in 2025's window only for some months' children.
    children.push({ child_id: 'NEW', birth_date: '2025-11-20', village: '北塘村' }, { child_id: 'ND', birth_date: '2025-04-01', village: '青石村' });
    vacs.push(['NEW', 'HepB', 1, '2025-11-20'], ['K1', 'HepB', 4, '2025-05-01'], ['ND', 'BCG', 1, null], ['NEW', 'BCG', 1, null]);
    const t = tempDb(children, vacs);
    cleanups.push(t.cleanup);
    const labels = ['2025', '2025-01', '2025-02', '2025-03', '2025Q2', '2025-12', '2024', '2024-11..2025-02', '2025-06'];
    for (const schedule of ['2021', '2025']) {
      for (const label of labels) {
        const shared = computeImmunization(t.db, { period: parsePeriod(label), by: 'village', schedule });
        const fresh = openDatabase(t.file, { readonly: true });
        const alone = computeImmunization(fresh, { period: parsePeriod(label), by: 'village', schedule });
        fresh.close();
        expect(shared.counts, `${schedule} ${label}`).toEqual(alone.counts);
        expect(shared.notes, `${schedule} ${label}`).toEqual(alone.notes);
        expect(shared.counts.some((c) => c.denominator > 0)).toBe(true);
        const villagesSeen = new Set(shared.counts.map((c) => c.group));
        expect(villagesSeen.has('北塘村'), `${schedule} ${label}`).toBe(label === '2025' || label === '2025-12' || label === '2025Q4');
      }
    }
    // Gap lists (names) on the same connection after the counts: the same rows as on a fresh connection.
    const shared = immunizationGaps(t.db, 'coverage.HepB.3', { period: period('2025-06'), by: 'village' });
    const fresh = openDatabase(t.file, { readonly: true });
    expect(shared).toEqual(immunizationGaps(fresh, 'coverage.HepB.3', { period: period('2025-06'), by: 'village' }));
    fresh.close();
    expect(shared.length).toBeGreaterThan(0);
    expect(shared.every((r) => r.name === '张小明')).toBe(true);
  });

  it('a dose outside the schedule and a dose without a date are reported for the periods whose children they belong to', () => {
    const t = tempDb(
      [
        { child_id: 'old', birth_date: '2010-05-01' },
        { child_id: 'a', birth_date: '2025-03-10' },
      ],
      [
        ['old', 'HepB', 4, '2010-06-01'],
        ['old', 'BCG', 1, null],
        ['a', 'HepB', 4, '2025-04-01'],
        ['a', 'BCG', 1, null],
      ],
    );
    cleanups.push(t.cleanup);
    for (const label of ['2025', '2025-06', '2025']) {
      const notes = computeImmunization(t.db, { period: period(label), by: 'village' }).notes;
      expect(notes.find((n) => n.code === 'DQ_DOSE_NOT_IN_SCHEDULE')?.count, label).toBe(1);
      expect(notes.find((n) => n.code === 'DQ_VACCINATION_NO_DATE')?.count, label).toBe(1);
    }
    // Born after E: not in 2025-02's children, so neither are its rows.
    const feb = computeImmunization(t.db, { period: period('2025-02'), by: 'village' }).notes;
    expect(feb.map((n) => n.code)).not.toContain('DQ_DOSE_NOT_IN_SCHEDULE');
    expect(feb.map((n) => n.code)).not.toContain('DQ_VACCINATION_NO_DATE');
  });
});
