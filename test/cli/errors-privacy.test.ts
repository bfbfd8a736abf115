// Personal data on the terminal is masked by what it is (an ID card number, a mobile number) and by column (a name):
// a custom gaps SQL that puts full ID numbers into 编号 gets them masked; --show-personal and files keep full values.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { maskCell, maskPersonalNumbers } from '../../src/mask.js';
import { gongwei, root, tempDir } from '../plan/helpers.js';

const ID18 = /(?<!\d)\d{17}[\dXx](?!\d)/;
const PHONE = '13812345678';
let db: string;
let catalog: string;
let ids: string[];

beforeAll(() => {
  const d = tempDir('gw-privacy-');
  db = path.join(d, 'db.sqlite');
  const r = gongwei(['registers', 'import', '--db', db, path.join(root, 'examples/registers/高血压患者管理名册.xlsx')]);
  expect(r.code, r.stderr).toBe(0);
  const s = new Sqlite(db, { readonly: true });
  ids = (s.prepare('SELECT id_number FROM hypertension_patients WHERE id_number IS NOT NULL ORDER BY village, doctor').all() as Array<{ id_number: string }>).map((x) => x.id_number);
  s.close();
  expect(ids.length).toBeGreaterThan(5);
  catalog = path.join(d, 'catalog');
  mkdirSync(catalog);
  writeFileSync(path.join(catalog, 'hypertension-id-list.yaml'), `id: hypertension-id-list
name: 高血压患者身份证清单
domain: 高血压患者健康管理
unit: '%'
kind: rate
factor: 100
register: hypertension_patients
description: 把身份证号放进编号列的自定义清单（测试用）。
numerator: 无
denominator: 在管患者
source: 本院自定义
compute:
  kind: sql
  sql: |
    SELECT village, doctor, 0 AS num, 1 AS den FROM hypertension_patients
  gaps: |
    SELECT village, doctor, id_number AS person_id, name, '联系电话 ${PHONE}，身份证 ' || id_number AS detail
    FROM hypertension_patients WHERE id_number IS NOT NULL
`);
}, 120_000);

const gaps = (...extra: string[]) => gongwei(['indicators', 'gaps', '高血压患者身份证清单', '--db', db, '--period', '2025', '--catalog', catalog, ...extra]);

describe('the terminal gap list masks by what a value is', () => {
  it('full ID numbers in 编号 and in the detail, a mobile number, names: all masked on the terminal (text and JSON)', () => {
    for (const format of ['text', 'json']) {
      const r = gaps('-f', format);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toMatch(ID18);
      expect(r.stdout).not.toContain(PHONE);
      expect(r.stdout).toContain(`${ids[0]!.slice(0, 6)}********${ids[0]!.slice(-4)}`);
      expect(r.stdout).toContain('138****5678');
    }
    expect(gaps().stdout).toContain('（姓名、身份证号、手机号已脱敏');
  });

  it('--show-personal shows them; a file (-o) keeps full values', () => {
    const shown = gaps('--show-personal', '-f', 'json');
    expect(shown.stdout).toContain(ids[0]);
    expect(shown.stdout).toContain(PHONE);
    const file = path.join(tempDir('gw-privacy-'), '清单.csv');
    expect(gaps('-o', file).code).toBe(0);
    const csv = readFileSync(file, 'utf8');
    for (const id of ids) expect(csv).toContain(id);
  });
});

describe('one mask module', () => {
  it.each([
    ['身份证 430102198506121234 联系人', '身份证 430102********1234 联系人'],
    ['旧证 430102850612123', '旧证 430102*****2123'],
    ['电话 138-1234-5678、+86 139 1234 5678', '电话 138****5678、139****5678'],
    ['档案编号 43010200100019001 不是身份证', '档案编号 43010200100019001 不是身份证'],
    ['2025年随访 12 次，20250301', '2025年随访 12 次，20250301'],
  ])('%s → %s', (text, masked) => {
    expect(maskPersonalNumbers(text)).toBe(masked);
  });
  it('cells: by column kind, else by what they are; numbers that are IDs too', () => {
    expect(maskCell('欧阳娜娜', 'name')).toBe('欧**娜');
    expect(maskCell('430102198506121234', 'id')).toBe('430102********1234');
    expect(maskCell(430102850612123)).toBe('430102*****2123');
    expect(maskCell(42)).toBe(42);
    expect(maskCell(null, 'name')).toBe(null);
  });
});
