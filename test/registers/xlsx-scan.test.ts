// The sheet reader's fast cell scanner against the general (regular-expression) reading, merged ranges found late in
// a large sheet, and the file's sha256 taken from the bytes read for the rows.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { zipSync, strToU8 } from 'fflate';
import { regexCells, scanCells, sheetTags, type RowParts } from '../../src/registers/xlsx/row-cells.js';
import type { SheetContext } from '../../src/registers/xlsx/types.js';
import { sharedStringsOf } from '../../src/registers/xlsx/shared-strings.js';
import { FileDigest } from '../../src/registers/xlsx/file-digest.js';
import { openWorkbook } from '../../src/registers/xlsx-reader.js';
import { tmp } from './helpers.js';

const BIN = path.resolve('bin/gongwei.js');
const ctx: SheetContext = { file: 'x.xlsx', sst: { ...sharedStringsOf(['甲', '乙\uFFFD', '丙']), bad: false }, dateStyle: [false, true, false], padStyle: [0, 0, 6], date1904: false };

/** Cell shapes as Excel, WPS, LibreOffice, exceljs, scripts and hand edits write them. */
function shapes(p: string): string[] {
  return [
    `<${p}c r="A1" t="inlineStr"><${p}is><${p}t>文本</${p}t></${p}is></${p}c>`,
    `<${p}c r="B1" t="inlineStr"><${p}is><${p}t xml:space="preserve"> 空 格 </${p}t></${p}is></${p}c>`,
    `<${p}c r="C1" t="inlineStr"><${p}is><${p}t>a&amp;b&lt;c&#20108;_x000D_\r\nz</${p}t></${p}is></${p}c>`,
    `<${p}c r="D1" t="inlineStr"><${p}is><${p}r><${p}t>富</${p}t></${p}r><${p}r><${p}t>文</${p}t></${p}r></${p}is></${p}c>`,
    `<${p}c r="E1" t="inlineStr"><${p}is><${p}t></${p}t></${p}is></${p}c>`,
    `<${p}c r="F1" t="inlineStr"><${p}is><${p}t/></${p}is></${p}c>`,
    `<${p}c r="G1" t="inlineStr"><${p}is><${p}t>假名</${p}t><${p}rPh><${p}t>かな</${p}t></${p}rPh></${p}is></${p}c>`,
    `<${p}c r="H1" s="1"><${p}v>45000</${p}v></${p}c>`,
    `<${p}c r="I1" s="2"><${p}v>12</${p}v></${p}c>`,
    `<${p}c s="2" t="n"><${p}v>1.5</${p}v></${p}c>`,
    `<${p}c><${p}v>7</${p}v></${p}c>`,
    `<${p}c r="K1"><${p}v></${p}v></${p}c>`,
    `<${p}c r="L1" s=""><${p}v>1</${p}v></${p}c>`,
    `<${p}c r="M1" s="9"><${p}v>1</${p}v></${p}c>`,
    `<${p}c r="N1" t="s"><${p}v>1</${p}v></${p}c>`,
    `<${p}c r="O1" t="s"><${p}v>99</${p}v></${p}c>`,
    `<${p}c r="P1" t="b"><${p}v>1</${p}v></${p}c>`,
    `<${p}c r="Q1" t="e"><${p}v>#N/A</${p}v></${p}c>`,
    `<${p}c r="R1" t="str"><${p}f>A1</${p}f><${p}v>公式&gt;</${p}v></${p}c>`,
    `<${p}c r="S1" t="str"><${p}v>str</${p}v></${p}c>`,
    `<${p}c r="T1"><${p}f>SUM(A1)</${p}f></${p}c>`,
    `<${p}c r="U1" t="d"><${p}v>2025-03-05T12:00:00</${p}v></${p}c>`,
    `<${p}c r="V1" t="d"><${p}v>bad</${p}v></${p}c>`,
    `<${p}c r="W1" s="1"/>`,
    `<${p}c r="X1"></${p}c>`,
    `<${p}c r="Y1" t='inlineStr'><${p}is><${p}t>单引号</${p}t></${p}is></${p}c>`,
    `<${p}c r="Z1"\ts="1"><${p}v>45001</${p}v></${p}c>`,
    `<${p}c  r="AA1"  t="s" s="2"><${p}v>0</${p}v></${p}c>`,
    `<${p}c r="AB1" t="s" xr:uid="{A}"><${p}v>2</${p}v></${p}c>`,
    `<${p}c r="AC1" t = "s"><${p}v>2</${p}v></${p}c>`,
    `<${p}c r="AD1" t="x"><${p}v>other</${p}v></${p}c>`,
    `<${p}c r="AE1" t=""><${p}v>empty t</${p}v></${p}c>`,
    `<${p}c r="AF1" t="inlineStr"><${p}is><${p}t>\uFFFD坏</${p}t></${p}is></${p}c>`,
    `<${p}c r="b1" t="s"><${p}v>0</${p}v></${p}c>`,
    `<${p}c r="1" t="s"><${p}v>0</${p}v></${p}c>`,
    `<${p}c r="AG1"t="s"><${p}v>0</${p}v></${p}c>`,
    `<${p}c r="AH1" t="s" r="A1"><${p}v>0</${p}v></${p}c>`,
    `<${p}c r="AI1" t="s"><${p}v t="x">0</${p}v></${p}c>`,
    ` \n `,
  ];
}

function both(body: string, prefix: string, checkBad = false): { fast: RowParts | undefined; general: RowParts } {
  const fast: RowParts = { cells: [], dateCols: [] };
  const ok = scanCells(body, 0, body.length, sheetTags(prefix), ctx, checkBad, fast);
  const general: RowParts = { cells: [], dateCols: [] };
  regexCells(body, ctx, checkBad, general);
  return { fast: ok ? fast : undefined, general };
}

describe('fast cell scanner', () => {
  it('reads every shape it accepts exactly as the general reading does, alone and in rows of mixed shapes', () => {
    let accepted = 0;
    let refused = 0;
    for (const p of ['', 'x:']) {
      const all = shapes(p);
      const rows = [...all.map((s) => [s]), ...all.flatMap((s, i) => [[s, all[(i * 7) % all.length]!, all[(i * 13 + 5) % all.length]!]])];
      for (const parts of rows) {
        for (const checkBad of [false, true]) {
          const { fast, general } = both(parts.join(''), p, checkBad);
          if (fast) {
            accepted++;
            expect(fast, parts.join('')).toEqual(general);
          } else refused++;
        }
      }
    }
    // Both outcomes occur: the common shapes are scanned, the unusual ones go the general way.
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(50);
    // The shapes an export writes are scanned.
    for (const s of [0, 1, 2, 4, 7, 8, 9, 10, 13, 14, 15, 16, 17, 19, 21, 22, 23, 24]) expect(both(shapes('')[s]!, '').fast, shapes('')[s]).toBeDefined();
  });

  it('a prefix other than the sheet\'s is read the general way', () => {
    const body = shapes('y:')[0]!;
    expect(both(body, '').fast).toBeUndefined();
    expect(both(body, 'x:').fast).toBeUndefined();
    expect(both(body, '').general.cells).toEqual(['文本']);
  });
});

function sheetXlsx(file: string, sheetXml: string): string {
  writeFileSync(file, zipSync({
    '_rels/.rels': strToU8('<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    'xl/workbook.xml': strToU8('<workbook xmlns:r="r"><sheets><sheet name="居民健康档案" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    'xl/_rels/workbook.xml.rels': strToU8('<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
    'xl/worksheets/sheet1.xml': strToU8(sheetXml),
  }));
  return file;
}

describe('merged ranges found after many rows were read', () => {
  it('a range whose first row was read long before the first row it fills (beyond several inflate chunks) still fills it', async () => {
    const rows: string[] = ['<row r="1"><c r="A1" t="inlineStr"><is><t>档案编号</t></is></c><c r="B1" t="inlineStr"><is><t>姓名</t></is></c><c r="C1" t="inlineStr"><is><t>所属村</t></is></c></row>'];
    const N = 6000;
    for (let r = 2; r <= N; r++) {
      // Every row complete up to row N-5, then 所属村 left to the merged range that starts at row N-10.
      const village = r <= N - 5 ? `<c r="C${r}" t="inlineStr"><is><t>${r === N - 10 ? '东溪村' : '青石村'}</t></is></c>` : '';
      rows.push(`<row r="${r}"><c r="A${r}"><v>${r}</v></c><c r="B${r}" t="inlineStr"><is><t>居民${r}</t></is></c>${village}</row>`);
    }
    const xml = `<worksheet><sheetData>${rows.join('')}</sheetData><mergeCells count="1"><mergeCell ref="C${N - 10}:C${N - 2}"/></mergeCells></worksheet>`;
    expect(xml.length).toBeGreaterThan(4 * 65536);
    const file = sheetXlsx(path.join(tmp(), 'late-merge.xlsx'), xml);
    const wb = await openWorkbook(file);
    const got = new Map<number, unknown[]>();
    for await (const r of wb.rows('居民健康档案')) {
      expect(got.has(r.row), `row ${r.row} given twice`).toBe(false);
      got.set(r.row, r.cells);
    }
    expect(got.size).toBe(N);
    expect(got.get(N - 10)).toEqual([N - 10, `居民${N - 10}`, '东溪村']);
    expect(got.get(N - 6)).toEqual([N - 6, `居民${N - 6}`, '青石村']); // its own value, inside the range
    for (let r = N - 4; r <= N - 2; r++) expect(got.get(r)).toEqual([r, `居民${r}`, '东溪村']);
    expect(got.get(N - 1)).toEqual([N - 1, `居民${N - 1}`]); // below the range
    expect(got.get(2)).toEqual([2, '居民2', '青石村']);
  });
});

describe('merged ranges, random sheets against the rule', () => {
  it('every row under a range that has values of its own and lacks the range column shows the value of the range\'s first row; nothing else changes', async () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let f = 0; f < 12; f++) {
      const nRows = 200 + Math.floor(rnd() * 3000);
      const nCols = 3 + Math.floor(rnd() * 4);
      // grid[r][c]: a value, or undefined (no cell); rows 1-based.
      const grid: (string | number | undefined)[][] = [[]];
      for (let r = 1; r <= nRows; r++) {
        const row: (string | number | undefined)[] = [];
        const empty = rnd() < 0.03;
        for (let c = 0; c < nCols; c++) row.push(empty ? undefined : rnd() < (f % 3 === 0 ? 0 : 0.01) ? undefined : c % 2 ? `值${r}_${c}` : r * 10 + c);
        grid.push(row);
      }
      // Vertical ranges, at most one per column at any row; the rows below the first lose their cell in that column.
      const merges: { top: number; bottom: number; col: number }[] = [];
      for (let c = 0; c < nCols; c++) {
        // The first range far down in some sheets: rows are given before the first one that needs a range.
        for (let r = 1 + Math.floor(rnd() * (f % 2 ? nRows / 2 : 50)); r < nRows; r += 2 + Math.floor(rnd() * 200)) {
          const bottom = Math.min(nRows, r + 1 + Math.floor(rnd() * 30));
          if (rnd() < 0.5) merges.push({ top: r, bottom, col: c });
          for (let k = r + 1; k <= bottom && rnd() < 0.95; k++) if (rnd() < 0.9) grid[k]![c] = undefined;
          r = bottom;
        }
      }
      const cell = (r: number, c: number, v: string | number) =>
        typeof v === 'number' ? `<c r="${String.fromCharCode(65 + c)}${r}"><v>${v}</v></c>` : `<c r="${String.fromCharCode(65 + c)}${r}" t="inlineStr"><is><t>${v}</t></is></c>`;
      const xml = `<worksheet><sheetData>${grid.slice(1).map((row, i) => `<row r="${i + 1}">${row.map((v, c) => (v === undefined ? '' : cell(i + 1, c, v))).join('')}</row>`).join('')}</sheetData>` +
        (merges.length ? `<mergeCells>${merges.map((g) => `<mergeCell ref="${String.fromCharCode(65 + g.col)}${g.top}:${String.fromCharCode(65 + g.col)}${g.bottom}"/>`).join('')}</mergeCells>` : '') + '</worksheet>';
      const file = sheetXlsx(path.join(tmp(), `rand${f}.xlsx`), xml);
      const expected = new Map<number, (string | number | null)[]>();
      for (let r = 1; r <= nRows; r++) {
        const own = grid[r]!;
        if (own.every((v) => v === undefined)) continue;
        const out = own.map((v) => v ?? null);
        for (const g of merges) {
          if (g.top < r && r <= g.bottom && own[g.col] === undefined && grid[g.top]![g.col] !== undefined) out[g.col] = grid[g.top]![g.col]!;
        }
        while (out.length && out[out.length - 1] === null) out.pop();
        expected.set(r, out);
      }
      const wb = await openWorkbook(file);
      const got = new Map<number, unknown[]>();
      for await (const r of wb.rows('居民健康档案')) {
        expect(got.has(r.row)).toBe(false);
        got.set(r.row, r.cells);
      }
      expect(got, `sheet ${f}`).toEqual(expected);
    }
  });
});

describe("the file's sha256 from the bytes read for the rows", () => {
  it('pieces out of order, repeated and with gaps give the sha256 of the file', () => {
    const file = path.join(tmp(), 'bytes.bin');
    const bytes = Buffer.alloc(3_000_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    writeFileSync(file, bytes);
    const d = new FileDigest(file);
    d.update(100, bytes.subarray(100, 5000));
    d.update(0, bytes.subarray(0, 200)); // before what is hashed: ignored
    d.update(4000, bytes.subarray(4000, 9000)); // overlapping
    d.update(2_000_000, bytes.subarray(2_000_000, 2_100_000)); // a gap, read from the file
    expect(d.digest()).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('the import records the sha256 of the whole xlsx (a skipped notes sheet, one thread or two) and replays it unchanged', async () => {
    const d = tmp();
    const file = path.join(d, 'roster.xlsx');
    const wb = new ExcelJS.Workbook();
    const notes = wb.addWorksheet('填表说明');
    notes.addRow(['按要求填写']);
    const ws = wb.addWorksheet('高血压患者管理名册');
    ws.addRow(['档案编号', '姓名', '性别', '出生日期', '确诊日期', '责任医生']);
    for (let i = 0; i < 3000; i++) ws.addRow([`H${i}`, `王${i}`, i % 2 ? '男' : '女', '1950-01-01', '2020-05-01', '李医生']);
    await wb.xlsx.writeFile(file);
    const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
    for (const threads of ['1', '2']) {
      const db = path.join(d, `t${threads}.sqlite`);
      const env = { ...process.env, GONGWEI_THREADS: threads, GONGWEI_THREAD_MIN_BYTES: '1' };
      const first = spawnSync(process.execPath, [BIN, 'registers', 'import', file, '--db', db, '--format', 'json'], { encoding: 'utf8', env });
      expect(first.status, first.stderr).toBe(0);
      const s = new Sqlite(db, { readonly: true });
      expect((s.prepare('SELECT DISTINCT sha256 FROM imports').all() as { sha256: string }[]).map((r) => r.sha256)).toEqual([sha]);
      s.close();
      const again = spawnSync(process.execPath, [BIN, 'registers', 'import', file, '--db', db, '--format', 'json'], { encoding: 'utf8', env });
      const summary = JSON.parse(again.stdout).find((x: { register?: string }) => x.register);
      expect(summary).toMatchObject({ inserted: 0, unchanged: 3000 });
    }
  });
});
