// Value coercion: dates (all forms, both Excel systems, no time-zone shift), IDs, numbers, booleans, sex, BP.
import { describe, expect, it } from 'vitest';
import { parseDateCell, formatDateTime, excelSerial } from '../../src/registers/dates.js';
import { parseIdNumber, idCheckChar } from '../../src/registers/id-number.js';
import { maskIdNumber, maskName } from '../../src/mask.js';
import { compileCoercer, FAIL, newCtx, parseBloodPressure, parseNumber } from '../../src/registers/coerce.js';
import type { ColumnDef } from '../../src/catalog/registers.js';
import { vaccineMapper } from '../../src/registers/vaccines.js';

const co = (col: Partial<ColumnDef> & { type: ColumnDef['type'] }, date1904 = false) => {
  const f = compileCoercer({ name: 'x', header: 'X', ...col } as ColumnDef, vaccineMapper());
  return (v: string | number | boolean) => {
    const ctx = newCtx(date1904);
    const r = f(v, ctx);
    return r === FAIL ? { fail: ctx.code } : ctx.warnCode ? { value: r, warn: ctx.warnCode } : { value: r };
  };
};

describe('dates', () => {
  it.each([
    ['2024-03-05', '2024-03-05'], ['2024/3/5', '2024-03-05'], ['2024.03.05', '2024-03-05'], ['20240305', '2024-03-05'],
    ['2024年3月5日', '2024-03-05'], [' 2024 年 03 月 05 日 ', '2024-03-05'], ['２０２４－０３－０５', '2024-03-05'],
    ['2024-03-05 14:20', '2024-03-05'], ['45356', '2024-03-05'],
  ])('text %s → %s', (t, d) => expect(parseDateCell(t, false)?.date).toBe(d));

  it.each(['2024-02-30', '2023-02-29', '2024-13-01', '3/5/2024', 'abc', '2024-03', '1800-01-01'])('rejects %s', (t) => {
    expect(parseDateCell(t, false)).toBeUndefined();
  });

  it('Excel serials in the 1900 and 1904 systems, whatever the time zone', () => {
    expect(parseDateCell(45356, false)?.date).toBe('2024-03-05');
    expect(parseDateCell(43894, true)?.date).toBe('2024-03-05');
    expect(parseDateCell(1, false)?.date).toBe('1900-01-01');
    expect(parseDateCell(59, false)?.date).toBe('1900-02-28');
    expect(parseDateCell(61, false)?.date).toBe('1900-03-01');
    expect(parseDateCell(0, true)).toBeUndefined();
    expect(parseDateCell(20240305, false)?.date).toBe('2024-03-05');
    expect(excelSerial(45356.597222222, false)).toEqual({ date: '2024-03-05', hh: 14, mm: 20, ss: 0 });
  });

  it('datetimes keep minutes, seconds only when given', () => {
    expect(formatDateTime(parseDateCell('2024-03-05 14:20', false)!)).toBe('2024-03-05 14:20');
    expect(formatDateTime(parseDateCell('2024-03-05 14:20:07', false)!)).toBe('2024-03-05 14:20:07');
    expect(formatDateTime(parseDateCell('2024年3月5日 8时5分', false)!)).toBe('2024-03-05 08:05');
    expect(formatDateTime(parseDateCell('2024-03-05', false)!)).toBe('2024-03-05 00:00');
    expect(formatDateTime(parseDateCell(45356.597222222, false)!)).toBe('2024-03-05 14:20');
    expect(parseDateCell('2024-03-05 25:00', false)).toBeUndefined();
  });
});

describe('ID numbers', () => {
  const valid = (first17: string) => first17 + idCheckChar(first17);
  it('accepts a valid number and reads the birth date', () => {
    const id = valid('43010219850612123');
    expect(parseIdNumber(id)).toEqual({ ok: true, value: id, birth: '1985-06-12' });
  });
  it('normalises lower-case and full-width x', () => {
    // Find a prefix whose check character is X.
    let p = '';
    for (let i = 100; i < 1000 && !p; i++) if (idCheckChar(`43010219850612${i}`) === 'X') p = `43010219850612${i}`;
    expect(parseIdNumber(`${p}x`)).toMatchObject({ ok: true, value: `${p}X` });
    expect(parseIdNumber(`${p}Ｘ`)).toMatchObject({ ok: true, value: `${p}X` });
    expect(parseIdNumber(`${p}`)).toEqual({ ok: false, code: 'REG_ID_PRECISION_LOST' });
  });
  it('detects numbers that lost digits', () => {
    expect(parseIdNumber('4.30102E+17')).toEqual({ ok: false, code: 'REG_ID_PRECISION_LOST' });
    expect(parseIdNumber(430102198506121230)).toEqual({ ok: false, code: 'REG_ID_PRECISION_LOST' });
    expect(parseIdNumber('430102198506121234.0')).toEqual({ ok: false, code: 'REG_ID_PRECISION_LOST' });
  });
  it('warns on a bad checksum, upgrades 15 digits, rejects other lengths', () => {
    const id = valid('43010219850612123');
    const wrong = id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
    expect(parseIdNumber(wrong)).toMatchObject({ ok: true, warning: 'REG_ID_CHECKSUM' });
    expect(parseIdNumber('430102850612123')).toMatchObject({ ok: true, value: valid('43010219850612123'), warning: 'REG_ID_15_DIGITS' });
    expect(parseIdNumber('43010219850612')).toEqual({ ok: false, code: 'REG_ID_INVALID' });
  });
  it('masks for the terminal', () => {
    expect(maskIdNumber('430102198506121234')).toBe('430102********1234');
    expect(maskName('王小明')).toBe('王*明');
    expect(maskName('王明')).toBe('王*');
  });
});

describe('coercers', () => {
  it('text keeps leading zeros and refuses long numbers', () => {
    expect(co({ type: 'text' })('0012')).toEqual({ value: '0012' });
    expect(co({ type: 'text', code: true })(' ＡＢ12 ')).toEqual({ value: 'AB12' });
    // Free text keeps what a person sees: only the surrounding blanks go.
    expect(co({ type: 'text' })(' 张三（二）青石村３组，ＡＢ ')).toEqual({ value: '张三（二）青石村３组，ＡＢ' });
    expect(co({ type: 'text' })(12)).toEqual({ value: '12' });
    expect(co({ type: 'text' })(4.30102e17)).toEqual({ fail: 'REG_CODE_PRECISION_LOST' });
  });
  it('numbers', () => {
    expect(parseNumber('1,234')).toBe(1234);
    expect(parseNumber('12人')).toBe(12);
    expect(parseNumber('第2剂')).toBe(2);
    expect(parseNumber('三')).toBe(3);
    expect(parseNumber('abc')).toBeUndefined();
    // The fast shapes read as the general path reads them (leading zeros, full-width digits, blanks, 第…剂 variants).
    expect(['0012', '7', '第01剂', '第１剂', ' 第2剂 ', '第2 剂', '第2针', '２', '第剂', '第', '剂', '1e3', '第1.5剂', '0', '000000000000000'].map(parseNumber))
      .toEqual([12, 7, 1, 1, 2, 2, 2, 2, undefined, undefined, undefined, undefined, 1.5, 0, 0]);
    expect(co({ type: 'integer' })('3.5')).toEqual({ fail: 'REG_NOT_INTEGER' });
    expect(co({ type: 'integer' })(3.0)).toEqual({ value: 3 });
    expect(co({ type: 'number' })('6.8')).toEqual({ value: 6.8 });
    expect(co({ type: 'number' })('高')).toEqual({ fail: 'REG_BAD_NUMBER' });
  });
  it.each([['是', 1], ['否', 0], ['有', 1], ['无', 0], ['√', 1], ['×', 0], ['1', 1], ['0', 0], [1, 1], [0, 0], ['Y', 1], ['n', 0], [true, 1]])('boolean %s → %s', (v, r) => {
    expect(co({ type: 'boolean' })(v)).toEqual({ value: r });
  });
  it('boolean refuses other words', () => expect(co({ type: 'boolean' })('可能')).toEqual({ fail: 'REG_BAD_BOOLEAN' }));
  it.each([['男', '男'], ['1', '男'], ['M', '男'], ['m', '男'], [1, '男'], ['女', '女'], ['2', '女'], ['F', '女'], [2, '女']])('sex %s → %s', (v, r) => {
    expect(co({ type: 'sex' })(v)).toEqual({ value: r });
  });
  it('sex unknown is null with a warning, garbage is refused', () => {
    expect(co({ type: 'sex' })('9')).toEqual({ value: null, warn: 'REG_SEX_UNKNOWN' });
    expect(co({ type: 'sex' })('X')).toEqual({ fail: 'REG_BAD_SEX' });
  });
  it('enum values and aliases', () => {
    const f = co({ type: 'enum', values: ['门诊', '家庭', '电话'], valueAliases: { 电话随访: '电话' } });
    expect(f('门诊')).toEqual({ value: '门诊' });
    expect(f('电话随访')).toEqual({ value: '电话' });
    expect(f('微信')).toEqual({ fail: 'REG_BAD_ENUM' });
  });
  it('dates in columns: 1904 workbook serials', () => {
    expect(co({ type: 'date' }, true)(43894)).toEqual({ value: '2024-03-05' });
    expect(co({ type: 'date' })('2024-02-30')).toEqual({ fail: 'REG_BAD_DATE' });
    expect(co({ type: 'datetime' })('2024/3/5 9:05')).toEqual({ value: '2024-03-05 09:05' });
  });
  it('vaccine names map to schedule codes; unknown kept with a warning', () => {
    const f = co({ type: 'vaccine' });
    expect(f('乙肝疫苗')).toEqual({ value: 'HepB' });
    expect(f('百白破疫苗')).toEqual({ value: 'DTaP' });
    expect(f('麻腮风联合减毒活疫苗')).toEqual({ value: 'MMR' });
    expect(f('神奇疫苗')).toEqual({ value: '神奇疫苗', warn: 'REG_VACCINE_UNKNOWN' });
  });
  it('blood pressure in one cell', () => {
    expect(parseBloodPressure('135/85')).toEqual([135, 85]);
    expect(parseBloodPressure('135／85mmHg')).toEqual([135, 85]);
    expect(parseBloodPressure('高')).toBeUndefined();
  });
});
