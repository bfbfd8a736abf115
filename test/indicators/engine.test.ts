// Non-immunization indicators at every boundary indicators.md names (hand-built rows, SQLite on disk).
import { describe, expect, it } from 'vitest';
import { parsePeriod } from '../../src/indicators/period.js';
import { evaluateTarget } from '../../src/indicators/evaluate-target.js';
import { requiredFollowups, isManaged } from '../../src/indicators/sql-functions.js';
import { computeGaps } from '../../src/indicators/gaps.js';
import { computeIndicators } from '../../src/indicators/compute.js';
import { freshDb, insert, one } from './helpers.js';

const pop = (extra: Record<string, unknown> = {}) => ({ year: 2025, village: '青石村', resident_population: 1000, children_0_6: 10, elderly_65: 10, hypertension_estimated: 10, diabetes_estimated: 10, ...extra });

describe('periods', () => {
  it.each([
    ['2025', '2025-01-01', '2025-12-31'],
    ['2025Q1', '2025-01-01', '2025-03-31'],
    ['2024Q1', '2024-01-01', '2024-03-31'],
    ['2025Q4', '2025-10-01', '2025-12-31'],
    ['2024-02', '2024-02-01', '2024-02-29'],
    ['2025-02', '2025-02-01', '2025-02-28'],
    ['2025-01..2025-06', '2025-01-01', '2025-06-30'],
    ['２０２５Ｑ２', '2025-04-01', '2025-06-30'],
  ])('%s → %s..%s', (label, start, end) => {
    expect(parsePeriod(label)).toMatchObject({ start, end });
  });
  it.each(['2025Q5', '2025-13', '25', '2025-06..2025-01', 'abc'])('rejects %s', (label) => {
    expect(() => parsePeriod(label)).toThrow(/统计期间/);
  });
});

describe('managed span and required follow-ups q', () => {
  it.each([
    ['enrolled before the year, never ended', '2020-01-01', null, 4],
    ['enrolled in August', '2025-08-15', null, 2],
    ['enrolled on 1 October', '2025-10-01', null, 1],
    ['enrolled on 30 September', '2025-09-30', null, 2],
    ['ended in May', '2020-01-01', '2025-05-10', 2],
    ['ended on 31 March', '2020-01-01', '2025-03-31', 1],
    ['enrolled in August, ended in November', '2025-08-01', '2025-11-02', 2],
  ])('%s → q=%i', (_t, enrolled, ended, q) => {
    expect(requiredFollowups(enrolled, ended as string | null, '2025-01-01', '2025-12-31')).toBe(q);
  });
  it('managed in P', () => {
    expect(isManaged('2025-12-31', null, '在管', '2025-01-01', '2025-12-31')).toBe(true);
    expect(isManaged('2026-01-01', null, '在管', '2025-01-01', '2025-12-31')).toBe(false);
    expect(isManaged('2020-01-01', '2025-01-01', '死亡', '2025-01-01', '2025-12-31')).toBe(true);
    expect(isManaged('2020-01-01', '2024-12-31', '死亡', '2025-01-01', '2025-12-31')).toBe(false);
    expect(isManaged('2020-01-01', null, '失访', '2025-01-01', '2025-12-31')).toBe(false);
    // An empty status is "not 在管": without an end date it is treated as ended before S.
    expect(isManaged('2020-01-01', null, null, '2025-01-01', '2025-12-31')).toBe(false);
    expect(isManaged('2020-01-01', null, '', '2025-01-01', '2025-12-31')).toBe(false);
    expect(isManaged('2020-01-01', '2025-03-01', null, '2025-01-01', '2025-12-31')).toBe(true);
    // Ended before enrolled: cannot be managed at all (import rejects such rows; one stored earlier is in no denominator).
    expect(isManaged('2025-06-01', '2025-03-01', '终止', '2025-01-01', '2025-12-31')).toBe(false);
    expect(isManaged('2025-06-01', '2025-06-01', '终止', '2025-01-01', '2025-12-31')).toBe(true);
  });
});

describe('hypertension', () => {
  function setup() {
    const { db } = freshDb();
    insert(db, 'population', [pop()]);
    insert(db, 'hypertension_patients', [
      { patient_id: 'full', village: '青石村', birth_date: '1960-06-01', enrolled_date: '2020-01-01', status: '在管' },
      { patient_id: 'aug', village: '青石村', birth_date: '1970-01-01', enrolled_date: '2025-08-15', status: '在管' },
      { patient_id: 'may', village: '东溪村', birth_date: '1950-01-01', enrolled_date: '2019-03-01', status: '死亡', ended_date: '2025-05-20' },
      { patient_id: 'nodate', village: '东溪村', birth_date: '1950-01-01', enrolled_date: '2019-03-01', status: '迁出' },
      { patient_id: 'later', village: '东溪村', birth_date: '1950-01-01', enrolled_date: '2026-01-05', status: '在管' },
    ]);
    const f = (patient_id: string, followup_date: string, method: string, sbp: number | null, dbp: number | null) => ({ patient_id, followup_date, method, sbp, dbp });
    insert(db, 'hypertension_followups', [
      f('full', '2025-02-01', '门诊', 130, 80),
      f('full', '2025-05-01', '家庭', 130, 80),
      f('full', '2025-08-01', '电话', 130, 80),
      f('full', '2025-11-01', '门诊', 130, 80),
      f('aug', '2025-07-01', '门诊', 120, 70), // before enrolment: not inside the managed span
      f('aug', '2025-09-01', '门诊', 120, 70),
      f('aug', '2025-12-01', '门诊', 120, 70),
      f('may', '2025-02-01', '门诊', 150, 85),
      f('may', '2025-05-01', '门诊', 149, 89),
      f('nodate', '2025-03-01', '门诊', 120, 70),
    ]);
    return db;
  }
  it('managed: enrolled ≤ E and not ended before S; non-在管 without end date excluded and reported', () => {
    const db = setup();
    const r = one(db, 'hypertension-managed', '2025');
    expect(r.num).toBe(3);
    expect(r.res.notes.map((n) => n.code)).toContain('DQ_STATUS_NO_END_DATE');
  });
  it('an empty 管理状态 is "not 在管": without an end date the patient is not managed (and reported); with one, the date decides', () => {
    const db = setup();
    insert(db, 'hypertension_patients', [
      { patient_id: 'blank', village: '青石村', enrolled_date: '2020-01-01', status: null },
      { patient_id: 'blank-ended-may', village: '青石村', enrolled_date: '2020-01-01', status: null, ended_date: '2025-05-20' },
      { patient_id: 'blank-ended-2024', village: '青石村', enrolled_date: '2020-01-01', status: null, ended_date: '2024-12-31' },
    ]);
    insert(db, 'diabetes_patients', [{ patient_id: 'd-blank', enrolled_date: '2020-01-01', status: null }]);
    insert(db, 'mental_patients', [{ patient_id: 's-blank', enrolled_date: '2020-01-01', status: null }]);
    const r = one(db, 'hypertension-managed', '2025');
    expect(r.num).toBe(4); // full, aug, may, blank-ended-may
    expect(r.res.notes.find((n) => n.code === 'DQ_STATUS_NO_END_DATE' && /高血压/.test(n.message))!.count).toBe(2); // nodate, blank
    expect(one(db, 'diabetes-managed', '2025').num).toBe(0);
    expect(one(db, 'smi-standard-management-rate', '2025')).toMatchObject({ num: 0, den: 0, value: null });
  });
  it('standard management counts face-to-face follow-ups inside the managed span against q (phone does not count)', () => {
    const db = setup();
    // full: 3 face-to-face of q=4 → no; aug: 2 inside span, q=2 → yes; may: 2, q=2 → yes.
    expect(one(db, 'hypertension-standard-management-rate', '2025')).toMatchObject({ num: 2, den: 3 });
    // Q1 alone: full (1 ≥ 1) yes; may (1 ≥ 1) yes; aug not managed in Q1.
    expect(one(db, 'hypertension-standard-management-rate', '2025Q1')).toMatchObject({ num: 2, den: 2 });
  });
  it('control: BP 149/89 is controlled at 65 on the follow-up date, not at 64; latest follow-up in P decides', () => {
    const { db } = freshDb();
    insert(db, 'hypertension_patients', [
      { patient_id: 'a64', birth_date: '1960-06-02', enrolled_date: '2020-01-01', status: '在管' },
      { patient_id: 'a65', birth_date: '1960-06-01', enrolled_date: '2020-01-01', status: '在管' },
      { patient_id: 'late-bad', birth_date: '1980-01-01', enrolled_date: '2020-01-01', status: '在管' },
      { patient_id: 'no-dbp', birth_date: '1980-01-01', enrolled_date: '2020-01-01', status: '在管' },
      { patient_id: 'none', birth_date: '1980-01-01', enrolled_date: '2020-01-01', status: '在管' },
    ]);
    insert(db, 'hypertension_followups', [
      { patient_id: 'a64', followup_date: '2025-06-01', sbp: 149, dbp: 89 },
      { patient_id: 'a65', followup_date: '2025-06-01', sbp: 149, dbp: 89 },
      { patient_id: 'late-bad', followup_date: '2025-03-01', sbp: 120, dbp: 70 },
      { patient_id: 'late-bad', followup_date: '2025-09-01', sbp: 145, dbp: 80 },
      { patient_id: 'late-bad', followup_date: '2026-01-10', sbp: 120, dbp: 70 },
      { patient_id: 'no-dbp', followup_date: '2025-09-01', sbp: 120, dbp: null },
    ]);
    expect(one(db, 'hypertension-control-rate', '2025')).toMatchObject({ num: 1, den: 5 });
    // In the first half, late-bad's latest follow-up (March) was controlled.
    expect(one(db, 'hypertension-control-rate', '2025-01..2025-06')).toMatchObject({ num: 2, den: 5 });
  });
  it('management rate uses Σ hypertension_estimated of the year of E; missing year → no value with a reason', () => {
    const db = setup();
    expect(one(db, 'hypertension-management-rate', '2025')).toMatchObject({ num: 3, den: 10, value: 30 });
    const r = one(db, 'hypertension-management-rate', '2024');
    expect(r.value).toBeNull();
    expect(r.reason).toContain('2024');
  });
  it('by village: population villages appear; a village without population data gets no value and a note', () => {
    const db = setup();
    const res = one(db, 'hypertension-management-rate', '2025', { by: 'village' }).res;
    const dx = res.results.find((r) => r.group === '东溪村')!;
    expect(dx.value).toBeNull();
    expect(dx.numerator).toBe(1);
    expect(res.results.find((r) => r.group === '青石村')).toMatchObject({ numerator: 2, denominator: 10, value: 20 });
    expect(res.notes.map((n) => n.code)).toContain('DQ_VILLAGE_NOT_IN_POPULATION');
  });
});

describe('diabetes and severe mental disorders', () => {
  it('glucose control: latest fbg < 7.0 (7.0 is not controlled)', () => {
    const { db } = freshDb();
    insert(db, 'diabetes_patients', [
      { patient_id: 'a', enrolled_date: '2020-01-01', status: '在管' },
      { patient_id: 'b', enrolled_date: '2020-01-01', status: '在管' },
    ]);
    insert(db, 'diabetes_followups', [
      { patient_id: 'a', followup_date: '2025-05-01', fbg: 6.9 },
      { patient_id: 'b', followup_date: '2025-05-01', fbg: 7.0 },
    ]);
    expect(one(db, 'diabetes-control-rate', '2025')).toMatchObject({ num: 1, den: 2 });
  });
  it('SMI: any follow-up method counts; only 稳定 (not 基本稳定) is stable', () => {
    const { db } = freshDb();
    insert(db, 'mental_patients', [
      { patient_id: 'a', enrolled_date: '2025-10-10', status: '在管' },
      { patient_id: 'b', enrolled_date: '2020-01-01', status: '在管' },
    ]);
    insert(db, 'mental_followups', [
      { patient_id: 'a', followup_date: '2025-11-01', method: '电话', condition: '稳定' },
      { patient_id: 'b', followup_date: '2025-02-01', method: '电话', condition: '稳定' },
      { patient_id: 'b', followup_date: '2025-12-01', method: '家庭', condition: '基本稳定' },
    ]);
    expect(one(db, 'smi-standard-management-rate', '2025')).toMatchObject({ num: 1, den: 2 });
    expect(one(db, 'smi-stable-rate', '2025')).toMatchObject({ num: 1, den: 2 });
  });
  it('SMI standard management counts follow-ups dated in P and inside the managed span, as for hypertension', () => {
    const { db } = freshDb();
    insert(db, 'mental_patients', [
      { patient_id: 'late', enrolled_date: '2025-11-15', status: '在管' }, // q = 1
      { patient_id: 'ended', enrolled_date: '2020-01-01', ended_date: '2025-02-10', status: '死亡' }, // q = 1
      { patient_id: 'inside', enrolled_date: '2025-11-15', status: '在管' },
    ]);
    insert(db, 'mental_followups', [
      { patient_id: 'late', followup_date: '2025-11-01', method: '门诊', condition: '稳定' }, // before enrolment
      { patient_id: 'ended', followup_date: '2025-03-01', method: '门诊', condition: '稳定' }, // after the end
      { patient_id: 'inside', followup_date: '2025-11-15', method: '电话', condition: '稳定' }, // on the enrolment day
    ]);
    expect(one(db, 'smi-standard-management-rate', '2025')).toMatchObject({ num: 1, den: 3 });
    const gaps = computeGaps(db, 'smi-standard-management-rate', { period: '2025' });
    expect(gaps.map((g) => [g.personId, g.reason])).toEqual([['ended', '随访不足'], ['late', '随访不足']]);
  });
  it('a patient stored with an end date before the enrolment date is in no denominator, and said so', () => {
    const { db } = freshDb();
    for (const [table, fus] of [['hypertension_patients', 'hypertension_followups'], ['mental_patients', 'mental_followups']] as const) {
      insert(db, table, [
        { patient_id: 'ok', enrolled_date: '2020-01-01', status: '在管' },
        { patient_id: 'reversed', enrolled_date: '2025-06-01', ended_date: '2025-03-01', status: '终止' },
      ]);
      insert(db, fus, [{ patient_id: 'ok', followup_date: '2025-05-01' }]);
    }
    const h = one(db, 'hypertension-standard-management-rate', '2025');
    expect(h).toMatchObject({ den: 1 });
    expect(one(db, 'hypertension-managed', '2025')).toMatchObject({ num: 1 });
    expect(one(db, 'smi-standard-management-rate', '2025')).toMatchObject({ num: 0, den: 1 });
    const notes = h.res.notes.filter((n) => n.code === 'DQ_END_BEFORE_START');
    expect(notes.map((n) => n.count)).toEqual([1, 1]);
  });
});

describe('maternal, child, elderly', () => {
  it('早孕建册: 90 days counts, 91 does not; deliveries in P only', () => {
    const { db } = freshDb();
    insert(db, 'maternal', [
      { mother_id: 'a', lmp: '2024-06-01', booking_date: '2024-08-30', delivery_date: '2025-03-01' }, // 90 days
      { mother_id: 'b', lmp: '2024-06-01', booking_date: '2024-08-31', delivery_date: '2025-03-01' }, // 91 days
      { mother_id: 'c', lmp: '2024-06-01', booking_date: null, delivery_date: '2025-03-01' },
      { mother_id: 'd', lmp: '2024-01-01', booking_date: '2024-02-01', delivery_date: '2024-10-01' },
    ]);
    expect(one(db, 'early-booking-rate', '2025')).toMatchObject({ num: 1, den: 3 });
  });
  it('产后访视: 0–28 days after discharge (or delivery when no discharge date)', () => {
    const { db } = freshDb();
    insert(db, 'maternal', [
      { mother_id: 'a', delivery_date: '2025-03-01', discharge_date: '2025-03-04', postpartum_visit_date: '2025-04-01' }, // 28 days after discharge
      { mother_id: 'b', delivery_date: '2025-03-01', discharge_date: '2025-03-04', postpartum_visit_date: '2025-04-02' }, // 29
      { mother_id: 'c', delivery_date: '2025-03-01', postpartum_visit_date: '2025-03-29' }, // 28 after delivery
      { mother_id: 'd', delivery_date: '2025-03-01', discharge_date: '2025-03-04', postpartum_visit_date: '2025-03-02' }, // before discharge
    ]);
    expect(one(db, 'postpartum-visit-rate', '2025')).toMatchObject({ num: 2, den: 4 });
  });
  it('新生儿访视: a visit within 28 days after birth; children born in P (any status)', () => {
    const { db } = freshDb();
    insert(db, 'children', [
      { child_id: 'a', birth_date: '2025-01-10', status: '在册' },
      { child_id: 'b', birth_date: '2025-01-10', status: '迁出', status_date: '2025-02-01' },
      { child_id: 'c', birth_date: '2025-12-20' },
      { child_id: 'd', birth_date: '2024-12-31' },
    ]);
    insert(db, 'child_visits', [
      { child_id: 'a', visit_date: '2025-02-07' }, // 28 days
      { child_id: 'b', visit_date: '2025-02-08' }, // 29 days
      { child_id: 'c', visit_date: '2026-01-05' }, // 16 days, after E
      { child_id: 'd', visit_date: '2025-01-05' },
    ]);
    expect(one(db, 'newborn-visit-rate', '2025')).toMatchObject({ num: 2, den: 3 });
  });
  it('0～6岁儿童健康管理: in register at E, age < 7 at E (the 7th birthday on E excludes), moved out after E still counts', () => {
    const { db } = freshDb();
    insert(db, 'population', [pop({ children_0_6: 8 })]);
    insert(db, 'children', [
      { child_id: 'six', birth_date: '2019-01-01', status: '在册' }, // 6 on 2025-12-31
      { child_id: 'seven', birth_date: '2018-12-31', status: '在册' }, // 7 on 2025-12-31
      { child_id: 'out-before', birth_date: '2022-01-01', status: '迁出', status_date: '2025-06-30' },
      { child_id: 'out-after', birth_date: '2022-01-01', status: '迁出', status_date: '2026-01-02' },
      { child_id: 'no-visit', birth_date: '2022-01-01', status: '在册' },
    ]);
    insert(db, 'child_visits', ['six', 'seven', 'out-before', 'out-after'].map((child_id) => ({ child_id, visit_date: '2025-04-01' })));
    expect(one(db, 'child-health-management-rate', '2025')).toMatchObject({ num: 2, den: 8, value: 25 });
  });
  it('0～6岁儿童健康管理: an empty 在册状态 is not 在册 (counts only with a status date after E)', () => {
    const { db } = freshDb();
    insert(db, 'population', [pop({ children_0_6: 10 })]);
    insert(db, 'children', [
      { child_id: 'blank', birth_date: '2022-01-01', status: null },
      { child_id: 'blank-date-on-E', birth_date: '2022-01-01', status: null, status_date: '2025-12-31' },
      { child_id: 'blank-date-after-E', birth_date: '2022-01-01', status: null, status_date: '2026-01-01' },
      { child_id: 'listed', birth_date: '2022-01-01', status: '在册' },
    ]);
    insert(db, 'child_visits', ['blank', 'blank-date-on-E', 'blank-date-after-E', 'listed'].map((child_id) => ({ child_id, visit_date: '2025-04-01' })));
    expect(one(db, 'child-health-management-rate', '2025')).toMatchObject({ num: 2, den: 10, value: 20 });
  });
  it('老年人健康管理: aged ≥ 65 at E (birthday on E counts), distinct people, 体检表完整 ≠ 否; TCM needs 是', () => {
    const { db } = freshDb();
    insert(db, 'population', [pop({ elderly_65: 4 })]);
    insert(db, 'elderly_checkups', [
      { record_id: 'a', birth_date: '1960-12-31', exam_date: '2025-03-01', complete: 1, tcm: 1 },
      { record_id: 'a', birth_date: '1960-12-31', exam_date: '2025-09-01', complete: 1, tcm: 0 },
      { record_id: 'b', birth_date: '1961-01-01', exam_date: '2025-03-01', complete: 1, tcm: 1 },
      { record_id: 'c', birth_date: '1950-01-01', exam_date: '2025-03-01', complete: 0, tcm: 1 },
      { record_id: 'd', birth_date: '1950-01-01', exam_date: '2025-03-01', complete: null, tcm: null },
    ]);
    expect(one(db, 'elderly-health-management-rate', '2025')).toMatchObject({ num: 2, den: 4, value: 50 });
    expect(one(db, 'elderly-tcm-rate', '2025')).toMatchObject({ num: 1, den: 4 });
  });
});

describe('infectious disease reports', () => {
  it('24 h for 乙类/丙类 and 2 h for 甲类 and 乙类按甲类管理, ends included', () => {
    const { db } = freshDb();
    insert(db, 'infectious_reports', [
      { card_id: '1', category: '乙类', diagnosed_at: '2025-03-01 10:00', reported_at: '2025-03-02 10:00', reported_online: 1 },
      { card_id: '2', category: '丙类', diagnosed_at: '2025-03-01 10:00', reported_at: '2025-03-02 10:01', reported_online: 1 },
      { card_id: '3', category: '甲类', diagnosed_at: '2025-03-01 10:00', reported_at: '2025-03-01 12:00', reported_online: 0 },
      { card_id: '4', category: '乙类按甲类管理', diagnosed_at: '2025-03-01 10:00', reported_at: '2025-03-01 12:01', reported_online: null },
      { card_id: '5', category: '乙类', diagnosed_at: '2025-12-31 23:00', reported_at: '2026-01-01 01:00', reported_online: 1 },
      { card_id: '6', category: '乙类', diagnosed_at: '2024-12-31 23:59', reported_at: '2025-01-01 00:10', reported_online: 1 },
    ]);
    expect(one(db, 'infectious-report-timeliness-rate', '2025')).toMatchObject({ num: 3, den: 5 });
    expect(one(db, 'infectious-report-rate', '2025')).toMatchObject({ num: 3, den: 5 });
  });
});

describe('health records and education', () => {
  it('records: 死亡/迁出 excluded, created after E excluded, electronic unless 否, usage = last service in P', () => {
    const { db } = freshDb();
    insert(db, 'population', [pop({ resident_population: 10 })]);
    insert(db, 'residents', [
      { record_id: '1', created_date: '2020-01-01', status: '正常', is_electronic: 1, last_service_date: '2025-05-01' },
      { record_id: '2', created_date: '2025-12-31', status: null, is_electronic: null, last_service_date: '2024-05-01' },
      { record_id: '3', created_date: '2020-01-01', status: '正常', is_electronic: 0, last_service_date: '2025-12-31' },
      { record_id: '4', created_date: '2020-01-01', status: '死亡', is_electronic: 1 },
      { record_id: '5', created_date: '2020-01-01', status: '迁出', is_electronic: 1 },
      { record_id: '6', created_date: '2026-01-01', status: '正常', is_electronic: 1 },
    ]);
    expect(one(db, 'health-record-rate', '2025')).toMatchObject({ num: 3, den: 10, value: 30 });
    expect(one(db, 'e-health-record-rate', '2025')).toMatchObject({ num: 2, den: 10 });
    expect(one(db, 'health-record-usage-rate', '2025')).toMatchObject({ num: 2, den: 3 });
  });
  it('education: counts of 讲座 and 咨询 in P, Σ 发放数量 of 发放资料', () => {
    const { db } = freshDb();
    insert(db, 'health_education', [
      { activity_date: '2025-01-05', activity_type: '讲座', topic: 'a' },
      { activity_date: '2025-12-31', activity_type: '讲座', topic: 'b' },
      { activity_date: '2026-01-01', activity_type: '讲座', topic: 'c' },
      { activity_date: '2025-03-01', activity_type: '咨询', topic: 'd' },
      { activity_date: '2025-03-01', activity_type: '发放资料', topic: 'e', materials: 200 },
      { activity_date: '2025-04-01', activity_type: '发放资料', topic: 'f', materials: null },
      { activity_date: '2025-04-01', activity_type: '宣传栏', topic: 'g', materials: 50 },
    ]);
    expect(one(db, 'health-education-lectures', '2025')).toMatchObject({ num: 2, value: 2 });
    expect(one(db, 'health-education-consultations', '2025')).toMatchObject({ num: 1 });
    expect(one(db, 'health-education-materials', '2025')).toMatchObject({ num: 200, value: 200 });
  });
});

describe('no invented values', () => {
  it('an empty register gives no value with a reason; a zero denominator gives no value', () => {
    const { db } = freshDb();
    const r = one(db, 'hypertension-standard-management-rate', '2025');
    expect(r.value).toBeNull();
    expect(r.reason).toContain('尚未导入');
    insert(db, 'hypertension_patients', [{ patient_id: 'x', enrolled_date: '2026-02-01', status: '在管' }]);
    const z = one(db, 'hypertension-standard-management-rate', '2025');
    expect(z).toMatchObject({ num: 0, den: 0, value: null });
    expect(z.reason).toContain('分母为0');
  });
  it('a village without population data has no denominator (not 0) even where this indicator has no row for it', () => {
    const { db } = freshDb();
    insert(db, 'population', [pop()]);
    insert(db, 'residents', [
      { record_id: '1', village: '青石村', created_date: '2020-01-01', is_electronic: 1 },
      { record_id: '2', village: '北坪村', created_date: '2020-01-01', is_electronic: 0 }, // 北坪村: no population row
    ]);
    for (const period of ['2025', '2023']) { // 2023: no population data at all
      const res = computeIndicators(db, { period, by: 'village', only: ['health-record-rate', 'e-health-record-rate'] });
      const get = (id: string, g: string) => res.results.find((x) => x.id === id && x.group === g)!;
      expect(get('health-record-rate', '北坪村')).toMatchObject({ numerator: 1, denominator: null, value: null });
      const e = get('e-health-record-rate', '北坪村'); // no electronic record there: the SQL returns no row for 北坪村
      expect(e).toMatchObject({ numerator: 0, denominator: null, value: null });
      expect(e.reason).toContain('人口基础数据中没有「北坪村」');
    }
  });
  it('a rate above 100% is kept and flagged, never capped', () => {
    const { db } = freshDb();
    insert(db, 'population', [pop({ hypertension_estimated: 1 })]);
    insert(db, 'hypertension_patients', [
      { patient_id: 'a', village: '青石村', enrolled_date: '2020-01-01', status: '在管' },
      { patient_id: 'b', village: '青石村', enrolled_date: '2020-01-01', status: '在管' },
    ]);
    const r = one(db, 'hypertension-management-rate', '2025');
    expect(r.value).toBe(200);
    expect(r.r.flags).toContain('RATE_ABOVE_100');
    expect(r.res.notes.map((n) => n.code)).toContain('DQ_RATE_ABOVE_100');
  });
});

describe('targets: status and gap', () => {
  const res = (numerator: number, denominator: number) => ({ numerator, denominator, value: (numerator / denominator) * 100, factor: 100, unit: '%', kind: 'rate' as const });
  const ge = (value: number) => ({ kind: 'threshold' as const, op: '>=' as const, value, unit: '%', text: '' });
  it('65% of 200 = 130 exactly: 130 meets, 129 needs 1', () => {
    expect(evaluateTarget(res(130, 200), ge(65))).toEqual({ status: '达标', gap: 0 });
    expect(evaluateTarget(res(129, 200), ge(65))).toEqual({ status: '未达标', gap: 1 });
  });
  it('gap = ceil(target × den / 100 − num)', () => {
    expect(evaluateTarget(res(100, 185), ge(65))).toMatchObject({ status: '未达标', gap: Math.ceil(0.65 * 185 - 100) });
  });
  it('≤ targets (dropout): people to move out of the numerator', () => {
    expect(evaluateTarget(res(4, 31), { kind: 'threshold', op: '<=', value: 5, unit: '%', text: '' })).toEqual({ status: '未达标', gap: 3 });
  });
  it('no value → 无数据; no target → 无目标; unit mismatch → 无目标 with reason', () => {
    expect(evaluateTarget({ ...res(1, 2), value: null }, ge(65)).status).toBe('无数据');
    expect(evaluateTarget(res(1, 2), undefined).status).toBe('无目标');
    expect(evaluateTarget(res(1, 2), { kind: 'threshold', op: '>=', value: 12, unit: '次', text: '' }).status).toBe('无目标');
  });
  it('trend target with a baseline compares with it', () => {
    expect(evaluateTarget(res(70, 100), { kind: 'trend', direction: 'up', baseline: 65, text: '' }).status).toBe('达标');
  });
});

describe('inlined SQL functions agree with the JS functions', () => {
  it('managed, required_followups and age_on give the same answers inline and as functions', async () => {
    const { inlineSqlFunctions, registerSqlFunctions } = await import('../../src/indicators/sql-functions.js');
    const { db } = freshDb();
    registerSqlFunctions(db);
    const dates = ['2019-02-28', '2020-02-29', '2024-12-31', '2025-01-01', '2025-03-31', '2025-04-01', '2025-08-15', '2025-12-31', '2026-01-01'];
    const statuses = [null, '', '在管', '死亡', '失访'];
    const fnSql = "SELECT managed(:e, :x, :s, '2025-01-01', '2025-12-31') AS m, required_followups(:e, :x, '2025-01-01', '2025-12-31') AS q, age_on(:e, :x) AS a";
    const viaFn = db.prepare(fnSql.replace(/managed|required_followups|age_on/g, (f) => f));
    const inline = db.prepare(inlineSqlFunctions(fnSql));
    expect(inlineSqlFunctions(fnSql)).not.toMatch(/managed\(|required_followups\(|age_on\(/);
    for (const e of [null, ...dates]) for (const x of [null, ...dates]) for (const s of statuses) {
      const a = viaFn.get({ e, x, s }) as Record<string, number | null>;
      const b = inline.get({ e, x, s }) as Record<string, number | null>;
      expect([Number(b.m), b.q, b.a], JSON.stringify({ e, x, s })).toEqual([Number(a.m), a.q, a.a]);
    }
  });
});

describe('data-quality scan', () => {
  it('villages missing from the population data: found along the residents index (seeks) and by scanning other registers alike', () => {
    const { db } = freshDb();
    // residents has an index that starts with village (catalogue `indexes`); children has none.
    expect(db.prepare("SELECT count(*) AS n FROM pragma_index_list('residents') AS l, pragma_index_info(l.name) AS i WHERE i.seqno = 0 AND i.name = 'village'").get()).toEqual({ n: 1 });
    insert(db, 'population', [{ year: 2025, village: '青石村', resident_population: 100 }]);
    insert(db, 'residents', [
      { record_id: 'R1', village: '青石村', created_date: '2025-01-01', status: '正常' },
      { record_id: 'R2', village: '北岭村', created_date: '2025-01-01', status: '正常' },
      { record_id: 'R3', village: '北岭村', created_date: '2025-01-02', status: '正常' },
      { record_id: 'R4', village: '', created_date: '2025-01-02', status: '正常' },
      { record_id: 'R5', village: null, created_date: '2025-01-02', status: '正常' },
      { record_id: 'R6', village: '东溪村', created_date: '2025-01-03', status: '正常' },
    ]);
    insert(db, 'children', [{ child_id: 'C1', birth_date: '2024-05-01', village: '南湾村', status: '在册' }]);
    const note = computeIndicators(db, { period: '2025', only: ['health-record-rate'] }).notes.find((n) => n.code === 'DQ_VILLAGE_NOT_IN_POPULATION')!;
    expect(note.count).toBe(3);
    expect([...note.examples!].sort()).toEqual(['东溪村', '北岭村', '南湾村'].sort());
  });
});
