// End to end: registers imported by the real binary (names as written, GB18030 CSV) feed the immunization computation.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { openDatabase } from '../../src/db.js';
import { computeImmunization, immunizationGaps } from '../../src/indicators/immunization/compute.js';
import { packageRoot } from '../../src/paths.js';
import { period } from './immunization-helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongwei-imm-e2e-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('import → compute', () => {
  it('maps names as written to codes and counts them; unknown names and unknown children become notes', () => {
    const roster = ['儿童编号,姓名,出生日期,所属村,责任医生,状态,状态变更日期', 'A1,王小明,2025-03-10,青石村,赵医生,在册,', 'A2,李小红,2025-03-11,东溪村,钱医生,在册,', 'A3,张小华,2024-09-30,青石村,赵医生,迁出,2025-04-15'].join('\r\n');
    const vacs = [
      '儿童编号,疫苗名称,剂次,接种日期',
      'A1,重组乙型肝炎疫苗（酿酒酵母）,1,2025-03-10',
      'A2,乙肝疫苗,1,2025-03-13',
      'A2,水痘疫苗,1,2025-03-13',
      'ZZ,卡介苗,1,2025-03-13',
      'A3,二价脊灰,3,2025-01-30',
    ].join('\r\n');
    fs.writeFileSync(path.join(dir, '儿童花名册.csv'), iconv.encode(roster, 'gb18030'));
    fs.writeFileSync(path.join(dir, '接种记录.csv'), iconv.encode(vacs, 'gb18030'));
    const db = path.join(dir, 'e2e.sqlite');
    execFileSync(process.execPath, [path.join(packageRoot, 'bin', 'gongwei.js'), 'registers', 'import', '--db', db, path.join(dir, '儿童花名册.csv'), path.join(dir, '接种记录.csv')], {
      stdio: 'pipe',
    });
    const conn = openDatabase(db, { readonly: true });
    try {
      const r = computeImmunization(conn, { period: period('2025-03'), by: 'village' });
      const get = (id: string, g: string | null = null) => {
        const c = r.counts.find((x) => x.id === id && x.group === g)!;
        return [c.numerator, c.denominator];
      };
      expect(get('hepb-birth-dose-timely-rate')).toEqual([1, 2]);
      expect(get('hepb-birth-dose-timely-rate', '青石村')).toEqual([1, 1]);
      // A3: polio dose 3 due 2025-01-30 (4 months): in January, and the child moved out after E of 2025-01.
      const jan = computeImmunization(conn, { period: period('2025-01') });
      const polio3 = jan.counts.find((c) => c.id === 'coverage.Polio.3')!;
      expect([polio3.numerator, polio3.denominator]).toEqual([1, 1]);
      expect(r.notes.map((n) => n.code).sort()).toEqual(['DQ_UNKNOWN_VACCINE', 'DQ_VACCINATION_CHILD_NOT_IN_ROSTER']);
      const gaps = immunizationGaps(conn, 'hepb-birth-dose-timely-rate', { period: period('2025-03') });
      expect(gaps.map((g) => [g.childId, g.reasonCode, g.village, g.doctor, g.name])).toEqual([['A2', 'NOT_TIMELY', '东溪村', '钱医生', '李小红']]);
    } finally {
      conn.close();
    }
  });
});
