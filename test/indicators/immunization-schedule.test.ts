// Schedule data, due-date arithmetic and vaccine-name mapping.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { dueDate } from '../../src/calendar.js';
import { loadSchedule, listScheduleVersions } from '../../src/catalog/schedule.js';
import { vaccineCode, parseVaccineName } from '../../src/catalog/vaccine-names.js';
import { ageInYears, dateToInt } from '../../src/calendar.js';
import { perDoseDefinitions, perDoseDefinitionsFor, doseAgeGroup, isImmunizationIndicator, immunizationRules, withRules } from '../../src/catalog/immunization-entries.js';
import { immunizationIndicatorIds } from '../../src/indicators/immunization/compute.js';
import { catalogDir, schemasDir } from '../../src/paths.js';
import { loadIndicatorCatalog } from '../../src/catalog/indicators.js';

describe('dueDate (calendar add, end-of-month clamp)', () => {
  it.each([
    ['2024-01-31', { months: 1 }, '2024-02-29'],
    ['2023-01-31', { months: 1 }, '2023-02-28'],
    ['2023-08-31', { months: 6 }, '2024-02-29'],
    ['2024-08-31', { months: 6 }, '2025-02-28'],
    ['2024-02-29', { years: 1 }, '2025-02-28'],
    ['2024-02-29', { years: 4 }, '2028-02-29'],
    ['2024-02-29', { months: 1 }, '2024-03-29'],
    ['2024-03-31', { months: 1 }, '2024-04-30'],
    ['2024-05-15', { months: 18 }, '2025-11-15'],
    ['2024-12-31', { days: 1 }, '2025-01-01'],
    ['2024-02-28', { days: 1 }, '2024-02-29'],
    ['2023-02-28', { days: 1 }, '2023-03-01'],
    ['2024-01-31', { months: 1, days: 1 }, '2024-03-01'],
    ['2024-06-15', { days: 0 }, '2024-06-15'],
    ['2025-05-31', { months: -3 }, '2025-02-28'],
  ] as const)('%s + %j = %s', (birth, age, want) => {
    expect(dueDate(birth, age)).toBe(want);
  });

  it.each(['2024-02-30', '2024-13-01', '24-01-01', '', '2024/01/31'])('rejects %j', (bad) => {
    expect(() => dueDate(bad, { months: 1 })).toThrow(RangeError);
  });

  it('agrees with a day-by-day walk for 1,500 consecutive days', () => {
    // days arithmetic via the civil-day algorithm, checked against stepping a UTC date
    let d = Date.UTC(2019, 0, 1);
    for (let i = 0; i < 1500; i++, d += 86400000) {
      const iso = new Date(d).toISOString().slice(0, 10);
      const next = new Date(d + 86400000).toISOString().slice(0, 10);
      expect(dueDate(iso, { days: 1 })).toBe(next);
    }
  });
});

describe('age in completed years', () => {
  it.each([
    ['2019-06-01', '2025-05-31', 5],
    ['2018-06-01', '2025-05-31', 6],
    ['2018-06-01', '2025-06-01', 7],
    ['2020-02-29', '2027-02-28', 6],
    ['2020-02-29', '2027-03-01', 7],
  ] as const)('born %s, on %s → %i', (b, on, want) => {
    expect(ageInYears(b, on)).toBe(want);
  });
  it('returns undefined for non-dates', () => {
    expect(ageInYears('x', '2025-01-01')).toBeUndefined();
    expect(dateToInt('2025-02-29')).toBeUndefined();
  });
});

describe('schedule files', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(schemasDir, 'schedule.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const files = fs.readdirSync(path.join(catalogDir, 'schedules')).filter((f) => f.endsWith('.yaml'));

  it('has the 2021 and 2025 versions', () => {
    expect(listScheduleVersions()).toEqual(expect.arrayContaining(['2021', '2025']));
  });

  it.each(files)('%s is schema-valid and its version is its file name', (f) => {
    const data = parse(fs.readFileSync(path.join(catalogDir, 'schedules', f), 'utf8'));
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
    expect(data.version).toBe(f.replace(/\.yaml$/, ''));
  });

  it('2021: the national schedule, dose by dose', () => {
    const s = loadSchedule();
    expect(s.version).toBe('2021');
    const got = s.doses.map((d) => `${d.code}.${d.dose}@${d.due.years ?? 0}y${d.due.months ?? 0}m${d.due.days ?? 0}d`);
    expect(got).toEqual([
      'HepB.1@0y0m0d', 'HepB.2@0y1m0d', 'HepB.3@0y6m0d', 'BCG.1@0y0m0d',
      'Polio.1@0y2m0d', 'Polio.2@0y3m0d', 'Polio.3@0y4m0d', 'Polio.4@4y0m0d',
      'DTaP.1@0y3m0d', 'DTaP.2@0y4m0d', 'DTaP.3@0y5m0d', 'DTaP.4@0y18m0d',
      'DT.1@6y0m0d', 'MMR.1@0y8m0d', 'MMR.2@0y18m0d', 'JE-L.1@0y8m0d', 'JE-L.2@2y0m0d',
      'MPSV-A.1@0y6m0d', 'MPSV-A.2@0y9m0d', 'MPSV-AC.1@3y0m0d', 'MPSV-AC.2@6y0m0d', 'HepA-L.1@0y18m0d',
    ]);
    const hepb1 = s.doses[0]!;
    expect(hepb1.timely).toEqual({ days: 1 });
    expect(s.doses.find((d) => d.code === 'Polio' && d.dose === 4)!.timely).toEqual({ months: 1 });
  });

  it('2025: DTaP at 2, 4, 6, 18 months and 6 years, no DT', () => {
    const s = loadSchedule('2025');
    const dtap = s.doses.filter((d) => d.code === 'DTaP').map((d) => [d.dose, d.due]);
    expect(dtap).toEqual([[1, { months: 2 }], [2, { months: 4 }], [3, { months: 6 }], [4, { months: 18 }], [5, { years: 6 }]]);
    expect(s.doses.some((d) => d.code === 'DT')).toBe(false);
    expect(s.doses.filter((d) => d.code === 'HepB')).toHaveLength(3);
    expect(s.appliesTo?.bornFrom).toBe('2025-01-01');
  });

  it('0岁组 / 1-6岁组 by the due age of the dose', () => {
    const s = loadSchedule();
    const groups = Object.fromEntries(s.doses.map((d) => [`${d.code}.${d.dose}`, doseAgeGroup(d)]));
    expect(groups['MPSV-A.2']).toBe('0y');
    expect(groups['DTaP.4']).toBe('1-6y');
    expect(groups['DT.1']).toBe('1-6y');
    expect(groups['HepB.1']).toBe('0y');
  });

  it.each([
    [{ months: 11 }, '0y'],
    [{ months: 11, days: 29 }, '0y'],
    [{ months: 12 }, '1-6y'],
    [{ years: 1 }, '1-6y'],
    [{ days: 365 }, '1-6y'],
    [{ years: 6, months: 11 }, '1-6y'],
    [{ years: 7 }, undefined],
  ] as const)('a dose due at %j is in group %s', (due, want) => {
    expect(doseAgeGroup({ code: 'X', dose: 1, due, timely: { months: 1 }, vaccineName: 'x' })).toBe(want);
  });

  it('generates coverage and timely entries for every dose, with the choices in the description', () => {
    const defs = perDoseDefinitions(loadSchedule('2025'));
    const ids = defs.map((d) => d.id);
    expect(ids).toContain('coverage.DTaP.5');
    expect(ids).toContain('timely-coverage.HepB.1');
    expect(ids).not.toContain('coverage.DT.1');
    expect(defs.length).toBe(2 * loadSchedule('2025').doses.length);
    for (const d of defs) {
      expect(d.computation.kind).toBe('immunization');
      expect(isImmunizationIndicator(d.id)).toBe(true);
      expect(d.description).toMatch(/月末|最后一天/);
    }
    expect(defs.find((d) => d.id === 'coverage.HepB.3')!.name).toBe('乙肝疫苗第3剂接种率');
    expect(isImmunizationIndicator('health-record-rate')).toBe(false);
  });

  it('words every entry from catalog/immunization-rules.yaml: the templates filled, the listed rules appended in order', () => {
    const { rules, perDose } = immunizationRules();
    const hepB1 = perDoseDefinitions(loadSchedule('2021')).filter((d) => d.vaccine === 'HepB' && d.dose === 1);
    expect(hepB1.map((d) => [d.id, d.name])).toEqual([
      ['coverage.HepB.1', '乙肝疫苗第1剂接种率'],
      ['timely-coverage.HepB.1', '乙肝疫苗第1剂及时接种率'],
    ]);
    expect(hepB1[0]!.aliases).toEqual(['HepB1接种率', 'HepB第1剂接种率', 'HepB-1接种率']);
    expect(hepB1[1]!.description).toContain('及时时限为出生日期+1天。');
    expect(hepB1[1]!.description.endsWith(perDose['timely-coverage'].descriptionRules.map((r) => rules[r]).join(''))).toBe(true);
    expect(hepB1.every((d) => !/[{}]/.test(d.description + d.name + d.numerator + d.denominator))).toBe(true);
    // A fixed indicator file: its own description, then the rules its descriptionRules name.
    const zeroY = loadIndicatorCatalog().get('coverage-0y')!;
    expect(zeroY.description).toBe(withRules(zeroY.description.slice(0, zeroY.description.indexOf(rules.ageGroups)), ['ageGroups', 'inRegister', 'dueDate', 'dose', 'schedule']));
    expect(zeroY.description.startsWith('0岁组接种率 = ')).toBe(true);
  });

  it.each(['2021', '2025', 'auto', undefined])('entries for --schedule %s are exactly the computed per-dose ids', (choice) => {
    const ids = perDoseDefinitionsFor(choice).map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(immunizationIndicatorIds(choice).filter((id) => id.includes('.')).sort());
  });
});

describe('a provincial schedule that extends a base version', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongwei-sched-'));
  fs.writeFileSync(
    path.join(dir, '2021-本省.yaml'),
    [
      "version: '2021-本省'",
      'name: 本省免疫程序（国家2021年版加水痘疫苗）',
      "extends: '2021'",
      'vaccines:',
      '  - code: VarV',
      '    name: 水痘疫苗',
      '    aliases: [水痘减毒活疫苗]',
      '    doses:',
      '      - { dose: 1, due: { months: 12 }, label: 12月龄 }',
      '      - { dose: 2, due: { years: 4 }, timely: { months: 3 } }',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(dir, 'loop-a.yaml'), "version: loop-a\nname: a\nextends: loop-b\n");
  fs.writeFileSync(path.join(dir, 'loop-b.yaml'), "version: loop-b\nname: b\nextends: loop-a\n");
  fs.writeFileSync(path.join(dir, 'bad.yaml'), "version: bad\nname: 坏\nvaccines:\n  - code: X\n    name: x\n    doses:\n      - { dose: 0, due: { months: 1 } }\n");
  fs.writeFileSync(path.join(dir, 'broken.yaml'), 'version: [\n');
  fs.writeFileSync(path.join(dir, 'dup.yaml'), "version: dup\nname: d\nvaccines:\n  - code: X\n    name: x\n    doses:\n      - { dose: 1, due: { months: 1 } }\n      - { dose: 1, due: { months: 2 } }\n");
  fs.writeFileSync(path.join(dir, 'rm.yaml'), "version: rm\nname: r\nextends: '2021'\nremove: [NOPE]\n");

  it('adds its vaccines to the base, by version name in a directory or by file', () => {
    const s = loadSchedule('2021-本省', { dirs: [dir] });
    expect(s.doses.map((d) => `${d.code}.${d.dose}`)).toEqual(expect.arrayContaining(['HepB.1', 'DT.1', 'VarV.1', 'VarV.2']));
    expect(s.doses.find((d) => d.code === 'VarV' && d.dose === 2)!.timely).toEqual({ months: 3 });
    expect(s.files).toHaveLength(2);
    const byFile = loadSchedule(path.join(dir, '2021-本省.yaml'));
    expect(byFile.doses).toHaveLength(s.doses.length);
    expect(vaccineCode('水痘减毒活疫苗 第1剂', s)).toBe('VarV');
    expect(vaccineCode('水痘减毒活疫苗')).toBeUndefined(); // not in the built-in schedules
  });

  it.each([
    ['nope', 'SCHEDULE_NOT_FOUND'],
    [path.join(dir, 'missing.yaml'), 'SCHEDULE_NOT_FOUND'],
    ['loop-a', 'SCHEDULE_EXTENDS_CYCLE'],
    ['bad', 'SCHEDULE_INVALID'],
    ['broken', 'SCHEDULE_YAML'],
    ['dup', 'SCHEDULE_DUPLICATE_DOSE'],
    ['rm', 'SCHEDULE_REMOVE_UNKNOWN'],
  ])('%s → %s', (ref, code) => {
    expect(() => loadSchedule(ref, { dirs: [dir] })).toThrow(expect.objectContaining({ code }));
  });
});

describe('vaccineCode: names as written in registers', () => {
  it.each([
    ['乙肝疫苗', 'HepB', undefined],
    ['乙型肝炎疫苗', 'HepB', undefined],
    ['重组乙型肝炎疫苗（酿酒酵母）第1剂', 'HepB', 1],
    ['乙 肝 疫 苗', 'HepB', undefined],
    ['ＨｅｐＢ', 'HepB', undefined],
    ['乙肝疫苗10μg', 'HepB', undefined],
    ['卡介苗', 'BCG', undefined],
    ['脊灰灭活疫苗（IPV）', 'Polio', undefined],
    ['脊灰减毒活疫苗 第1剂', 'Polio', 1],
    ['二价脊灰', 'Polio', undefined],
    ['二价脊灰 2', 'Polio', 2],
    ['bOPV第3剂', 'Polio', 3],
    ['糖丸', 'Polio', undefined],
    ['IPV', 'Polio', undefined],
    ['百白破疫苗', 'DTaP', undefined],
    ['无细胞百白破', 'DTaP', undefined],
    ['吸附无细胞百白破联合疫苗【第1剂】', 'DTaP', 1],
    ['百白破第四针', 'DTaP', 4],
    ['白破疫苗', 'DT', undefined],
    ['吸附白破联合疫苗', 'DT', undefined],
    ['麻腮风联合减毒活疫苗', 'MMR', undefined],
    ['麻风腮', 'MMR', undefined],
    ['乙脑减毒活疫苗（第2剂）', 'JE-L', 2],
    ['乙脑疫苗', 'JE-L', undefined],
    ['A群流脑多糖疫苗', 'MPSV-A', undefined],
    ['A群流脑疫苗 第二剂', 'MPSV-A', 2],
    ['A群C群流脑多糖疫苗', 'MPSV-AC', undefined],
    ['A+C流脑疫苗', 'MPSV-AC', undefined],
    ['Ａ＋Ｃ流脑疫苗', 'MPSV-AC', undefined],
    ['流脑A', 'MPSV-A', undefined],
    ['流脑AC 第2剂', 'MPSV-AC', 2],
    ['流脑A+C', 'MPSV-AC', undefined],
    ['甲肝减毒活疫苗', 'HepA-L', undefined],
    ['甲肝疫苗', 'HepA-L', undefined],
    ['MPSV-AC', 'MPSV-AC', undefined],
  ] as const)('%s → %s (dose %s)', (name, code, dose) => {
    expect(vaccineCode(name)).toBe(code);
    expect(parseVaccineName(name).dose).toBe(dose);
  });

  it.each(['水痘疫苗', 'Hib疫苗', '流感疫苗', '', '   ', '第1剂', '疫苗'])('unknown %j → undefined', (name) => {
    expect(vaccineCode(name)).toBeUndefined();
  });

  it('with a schedule: only that schedule’s vaccines', () => {
    expect(vaccineCode('白破疫苗', loadSchedule('2025'))).toBeUndefined();
    expect(vaccineCode('白破疫苗', loadSchedule('2021'))).toBe('DT');
  });
});
