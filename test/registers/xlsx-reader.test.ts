// xlsx-reader and sniff on real files: exceljs- and LibreOffice-written workbooks compared cell by cell with exceljs, bad files by error code.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { zipSync, strToU8 } from 'fflate';
import { openWorkbook, columnIndex, type XlsxRow } from '../../src/registers/xlsx-reader.js';
import { sniffFile } from '../../src/registers/sniff.js';
import { isDateFormat, decodeText } from '../../src/registers/xlsx/xml.js';
import { tmp } from './helpers.js';

const BIN = path.resolve('bin/gongwei.js');
const SOFFICE = spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).stdout.trim();

async function allRows(file: string, sheet: string, opts?: { maxInflatedBytes?: number }): Promise<XlsxRow[]> {
  const wb = await openWorkbook(file, opts);
  const out: XlsxRow[] = [];
  for await (const r of wb.rows(sheet)) out.push({ row: r.row, cells: r.cells.slice(), dateCols: r.dateCols.slice() });
  return out;
}

function serialToMs(serial: number, date1904: boolean): number {
  if (date1904) return Math.round((serial + 1462) * 86400000) + Date.UTC(1899, 11, 30);
  return Math.round((serial < 60 ? serial + 1 : serial) * 86400000) + Date.UTC(1899, 11, 30);
}

/** exceljs's reading of a cell, in the reader's terms (dates as ms for comparison). */
function exceljsValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return { date: v.getTime() };
  if (typeof v === 'object') {
    const o = v as Record<string, any>;
    if ('richText' in o) return o.richText.map((t: { text: string }) => t.text).join('');
    if ('error' in o) return o.error;
    if ('result' in o) return exceljsValue(o.result);
    if ('text' in o) return o.text;
  }
  return v;
}

async function compareWithExcelJS(file: string) {
  const ref = new ExcelJS.Workbook();
  await ref.xlsx.readFile(file);
  const wb = await openWorkbook(file);
  expect(wb.sheets.map((s) => s.name)).toEqual(ref.worksheets.map((w) => w.name));
  let compared = 0;
  for (const ws of ref.worksheets) {
    const mine = new Map<number, XlsxRow>();
    for await (const r of wb.rows(ws.name)) mine.set(r.row, { row: r.row, cells: r.cells.slice(), dateCols: r.dateCols.slice() });
    ws.eachRow({ includeEmpty: false }, (row, n) => {
      const m = mine.get(n);
      const values = row.values as unknown[];
      for (let i = 1; i < values.length; i++) {
        // exceljs repeats a merged range's value in every cell; the file stores it once.
        const cell = row.getCell(i);
        if (cell.isMerged && cell.master !== cell) {
          expect(m?.cells[i - 1] ?? null).toBeNull();
          continue;
        }
        const expected = exceljsValue(values[i]);
        const got = m?.cells[i - 1] ?? null;
        if (expected && typeof expected === 'object' && 'date' in expected) {
          expect(m!.dateCols).toContain(i - 1);
          expect(serialToMs(got as number, wb.date1904)).toBe((expected as { date: number }).date);
        } else {
          expect(got, `${ws.name}!${n}:${i}`).toEqual(expected === '' ? (got === '' ? '' : null) : expected);
        }
        compared++;
      }
    });
  }
  return compared;
}

async function richWorkbook(file: string, date1904: boolean) {
  const wb = new ExcelJS.Workbook();
  wb.properties.date1904 = date1904;
  const ws = wb.addWorksheet('高血压随访');
  ws.mergeCells('A1:F1');
  ws.getCell('A1').value = '青石镇卫生院高血压患者随访登记表';
  ws.addRow(['档案编号', '姓名', '随访日期', '收缩压\n(mmHg)', '在管', '备注']);
  for (let i = 0; i < 300; i++) {
    const r = ws.addRow([
      `00${i}`,
      i % 3 === 0 ? { richText: [{ text: '王' }, { text: '小明', font: { bold: true } }] } : `李${'四'.repeat(1 + (i % 5))}<&>"'`,
      new Date(Date.UTC(2025, i % 12, 1 + (i % 28))),
      120 + (i % 40) + 0.5,
      i % 2 === 0,
      i % 7 === 0 ? null : i % 11 === 0 ? { error: '#N/A' } : `行${i}\r\n第二行 _x 𠮷`,
    ]);
    r.getCell(3).numFmt = i % 2 ? 'yyyy-mm-dd' : 'yyyy"年"m"月"d"日"';
  }
  ws.addRow([]);
  ws.addRow(['合计', 300]);
  const hidden = wb.addWorksheet('取值', { state: 'hidden' });
  hidden.addRow(['男', '女']);
  const notes = wb.addWorksheet('填表说明');
  notes.getCell('C5').value = '说明：日期写 2025-03-05';
  notes.getCell('A7').value = new Date(Date.UTC(2025, 11, 31));
  notes.getCell('A7').numFmt = 'm/d/yy';
  await wb.xlsx.writeFile(file);
}

describe('xlsx reader on exceljs-written workbooks', () => {
  it.each([false, true])('matches exceljs cell by cell (date1904 = %s)', async (d1904) => {
    const file = path.join(tmp(), `w${d1904 ? 1904 : 1900}.xlsx`);
    await richWorkbook(file, d1904);
    const wb = await openWorkbook(file);
    expect(wb.date1904).toBe(d1904);
    expect(wb.sheets).toEqual([
      { name: '高血压随访', hidden: false },
      { name: '取值', hidden: true },
      { name: '填表说明', hidden: false },
    ]);
    expect(await compareWithExcelJS(file)).toBeGreaterThan(1700);
    const rows = await allRows(file, '高血压随访');
    expect(rows[0]).toMatchObject({ row: 1, cells: ['青石镇卫生院高血压患者随访登记表'] });
    expect(rows[2].cells[0]).toBe('000');
    expect(rows[2].cells[1]).toBe('王小明');
    expect(rows[3].cells[1]).toBe(`李四四<&>"'`);
    expect(rows[3].cells[5]).toBe('行1\n第二行 _x 𠮷');
    expect(rows[2].cells[4]).toBe(true);
    expect(rows[2].dateCols).toEqual([2]);
    // The empty row 303 is not yielded; the 合计 row keeps its spreadsheet number.
    expect(rows.at(-1)).toMatchObject({ row: 304, cells: ['合计', 300] });
    const notes = await allRows(file, '填表说明');
    expect(notes.map((r) => r.row)).toEqual([5, 7]);
    expect(notes[0].cells).toEqual([null, null, '说明：日期写 2025-03-05']);
    expect(notes[1].dateCols).toEqual([0]);
  });

  it('reads a large sheet across many inflate chunks without garbling Chinese', async () => {
    const file = path.join(tmp(), 'big.xlsx');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
    const ws = wb.addWorksheet('随访');
    ws.addRow(['档案编号', '姓名']).commit();
    for (let i = 0; i < 40000; i++) ws.addRow([`P${i}`, `青石村王${'明'.repeat(1 + (i % 7))}`]).commit();
    ws.commit();
    await wb.commit();
    const rows = await allRows(file, '随访');
    expect(rows.length).toBe(40001);
    for (let i = 0; i < 40000; i++) expect(rows[i + 1].cells).toEqual([`P${i}`, `青石村王${'明'.repeat(1 + (i % 7))}`]);
  });
});

describe('xlsx reader on hand-made XML', () => {
  function makeXlsx(file: string, sheetXml: string, extra: Record<string, string> = {}) {
    const files: Record<string, Uint8Array> = {
      '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
      '_rels/.rels': strToU8(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
      ),
      'xl/workbook.xml': strToU8(
        '<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:workbookPr date1904="true"/><x:sheets><x:sheet name="A&amp;B" sheetId="1" r:id="rId7"/></x:sheets></x:workbook>',
      ),
      'xl/_rels/workbook.xml.rels': strToU8(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/><Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
      ),
      'xl/strings.xml': strToU8(
        '<sst xmlns="x"><si><t xml:space="preserve"> 前后空格 </t></si><si><r><t>富</t></r><r><rPr><b/></rPr><t>文本</t></r><rPh><t>ふ</t></rPh></si><si><t>&#x4E00;&#20108;_x000D_&amp;</t></si><si/></sst>',
      ),
      'xl/styles.xml': strToU8(
        '<styleSheet><numFmts count="2"><numFmt numFmtId="164" formatCode="[$-804]yyyy&quot;年&quot;m&quot;月&quot;"/><numFmt numFmtId="165" formatCode="&quot;day&quot;0.00"/></numFmts><cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="31"/><xf numFmtId="14"></xf></cellXfs></styleSheet>',
      ),
      'xl/worksheets/data.xml': strToU8(sheetXml),
      ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, strToU8(v)])),
    };
    writeFileSync(file, zipSync(files));
    return file;
  }

  it('handles prefixes, missing r attributes, all cell types and date styles', async () => {
    const file = makeXlsx(
      path.join(tmp(), 'hand.xlsx'),
      '<x:worksheet xmlns:x="main"><x:sheetData>' +
        '<x:row r="2"><x:c r="B2" t="s"><x:v>0</x:v></x:c><x:c r="D2" t="s"><x:v>1</x:v></x:c><x:c t="s"><x:v>2</x:v></x:c><x:c t="s"><x:v>3</x:v></x:c></x:row>' +
        '<x:row><x:c s="1"><x:v>45000</x:v></x:c><x:c s="2"><x:v>45000</x:v></x:c><x:c s="3"><x:v>1.5</x:v></x:c><x:c s="4"><x:v>0</x:v></x:c></x:row>' +
        '<x:row r="5"/>' +
        '<x:row r="7"><x:c r="A7" t="inlineStr"><x:is><x:r><x:t>内</x:t></x:r><x:r><x:t>联</x:t></x:r></x:is></x:c><x:c r="C7" t="b"><x:v>0</x:v></x:c><x:c r="AA7" t="e"><x:v>#DIV/0!</x:v></x:c>' +
        '<x:c r="AB7" t="str"><x:f>A1</x:f><x:v>公式 &lt;结果&gt;</x:v></x:c><x:c r="AC7" t="d"><x:v>2025-03-05T00:00:00Z</x:v></x:c><x:c r="AD7" s="1"/></x:row>' +
        '</x:sheetData></x:worksheet>',
    );
    const wb = await openWorkbook(file);
    expect(wb.date1904).toBe(true);
    expect(wb.sheets).toEqual([{ name: 'A&B', hidden: false }]);
    const rows = await allRows(file, 'A&B');
    expect(rows.map((r) => r.row)).toEqual([2, 3, 7]);
    expect(rows[0].cells).toEqual([null, ' 前后空格 ', null, '富文本', '一二\r&', '']);
    expect(rows[1].cells).toEqual([45000, 45000, 1.5, 0]);
    expect(rows[1].dateCols).toEqual([0, 2, 3]);
    expect(rows[2].cells[0]).toBe('内联');
    expect(rows[2].cells[2]).toBe(false);
    expect(rows[2].cells[26]).toBe('#DIV/0!');
    expect(rows[2].cells[27]).toBe('公式 <结果>');
    expect(rows[2].dateCols).toEqual([28]);
    expect(serialToMs(rows[2].cells[28] as number, true)).toBe(Date.UTC(2025, 2, 5));
    expect(rows[2].cells.length).toBe(29);
  });

  it('stops a zip bomb at the inflated-size limit (REG_ZIP_BOMB)', async () => {
    const zeros = new Uint8Array(80 * 1048576);
    const body = strToU8('<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>');
    const big = new Uint8Array(body.length + zeros.length);
    big.set(body);
    const file = makeXlsx(path.join(tmp(), 'bomb.xlsx'), '');
    // Replace the sheet by 80 MB that deflates to ~80 KB.
    const files: Record<string, Uint8Array> = {
      '_rels/.rels': strToU8('<Relationships/>'),
      'xl/workbook.xml': strToU8('<workbook><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>'),
      'xl/worksheets/sheet1.xml': big,
    };
    writeFileSync(file, zipSync(files, { level: 9 }));
    await expect(allRows(file, 'S')).rejects.toMatchObject({ code: 'REG_ZIP_BOMB' });
    await expect(allRows(file, 'S', { maxInflatedBytes: 1048576 })).rejects.toMatchObject({ code: 'REG_ZIP_BOMB' });
  });

  it('rejects a truncated or corrupt xlsx (REG_XLSX_CORRUPT)', async () => {
    const d = tmp();
    const good = path.join(d, 'good.xlsx');
    await richWorkbook(good, false);
    const bytes = readFileSync(good);
    const cut = path.join(d, 'cut.xlsx');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    expect(sniffFile(cut)).toBe('xlsx');
    await expect(openWorkbook(cut).then((wb) => allRows(cut, wb.sheets[0].name))).rejects.toMatchObject({ code: 'REG_XLSX_CORRUPT' });
    // Damaged deflate data in the sheet with an intact directory.
    const flipped = Buffer.from(bytes);
    const wb = await openWorkbook(good);
    expect(wb.sheets.length).toBe(3);
    for (let i = 200; i < flipped.length - 2000; i += 97) flipped[i] ^= 0x5a;
    const bad = path.join(d, 'bad.xlsx');
    writeFileSync(bad, flipped);
    await expect((async () => {
      const w = await openWorkbook(bad);
      for (const s of w.sheets) for await (const _ of w.rows(s.name)) void _;
    })()).rejects.toMatchObject({ code: 'REG_XLSX_CORRUPT' });
    const notZip = path.join(d, 'text.xlsx');
    writeFileSync(notZip, 'PK\u0003\u0004 not really a zip');
    await expect(openWorkbook(notZip)).rejects.toMatchObject({ code: 'REG_XLSX_CORRUPT' });
  });
});

describe('helpers', () => {
  it('column letters, date formats, text decoding', () => {
    expect([columnIndex('A1'), columnIndex('Z9'), columnIndex('AA10'), columnIndex('XFD1'), columnIndex('12')]).toEqual([0, 25, 26, 16383, -1]);
    expect(isDateFormat(14, undefined)).toBe(true);
    expect(isDateFormat(57, undefined)).toBe(true);
    expect(isDateFormat(2, undefined)).toBe(false);
    expect(isDateFormat(164, 'yyyy/m/d h:mm')).toBe(true);
    expect(isDateFormat(165, '"Day "0.00')).toBe(false);
    expect(isDateFormat(166, '[Red]#,##0;[Blue]-#,##0')).toBe(false);
    expect(isDateFormat(167, 'General')).toBe(false);
    expect(isDateFormat(168, '[$-804]aaaa;@')).toBe(false);
    expect(decodeText('a&amp;b&#39;&#x1F600;_x005F_x000D_')).toBe("a&b'😀_x000D_".replace('_x000D_', '_x000D_'));
  });
});

describe('sniff', () => {
  const d = tmp();
  const ole = (names: string[]) => {
    const b = Buffer.alloc(4096);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(b);
    let p = 1024;
    for (const n of names) p += Buffer.from(n, 'utf16le').copy(b, p) + 64;
    return b;
  };

  it('tells formats apart by content', async () => {
    writeFileSync(path.join(d, 'a.xls'), ole(['Root Entry', 'Workbook', 'SummaryInformation']));
    writeFileSync(path.join(d, 'enc.xlsx'), ole(['Root Entry', 'EncryptionInfo', 'EncryptedPackage']));
    writeFileSync(path.join(d, 'x.csv'), '档案编号,姓名\r\n001,王明\r\n');
    writeFileSync(path.join(d, 'bin.csv'), Buffer.from([1, 0, 2, 0, 3]));
    await richWorkbook(path.join(d, 'real.dat'), false);
    expect(sniffFile(path.join(d, 'a.xls'))).toBe('xls');
    expect(sniffFile(path.join(d, 'enc.xlsx'))).toBe('encrypted');
    expect(sniffFile(path.join(d, 'x.csv'))).toBe('csv');
    expect(sniffFile(path.join(d, 'bin.csv'))).toBe('unknown');
    expect(sniffFile(path.join(d, 'real.dat'))).toBe('xlsx');
  });

  it('0-byte file, directory, missing file', () => {
    writeFileSync(path.join(d, 'empty.xlsx'), '');
    mkdirSync(path.join(d, 'dir.xlsx'), { recursive: true });
    expect(() => sniffFile(path.join(d, 'empty.xlsx'))).toThrow(expect.objectContaining({ code: 'REG_FILE_EMPTY' }));
    expect(() => sniffFile(path.join(d, 'dir.xlsx'))).toThrow(expect.objectContaining({ code: 'FILE_IS_DIRECTORY' }));
    expect(() => sniffFile(path.join(d, 'nope.xlsx'))).toThrow(expect.objectContaining({ code: 'FILE_NOT_FOUND' }));
  });

  it('the real binary reports .xls, encrypted and truncated files by code (exit 2)', async () => {
    writeFileSync(path.join(d, 'old.xls'), ole(['Root Entry', 'Workbook']));
    writeFileSync(path.join(d, 'locked.xlsx'), ole(['Root Entry', 'EncryptedPackage']));
    const good = path.join(d, 'g.xlsx');
    await richWorkbook(good, false);
    const bytes = readFileSync(good);
    writeFileSync(path.join(d, 'trunc.xlsx'), bytes.subarray(0, bytes.length - 300));
    for (const [f, code] of [
      ['old.xls', 'REG_XLS_UNSUPPORTED'],
      ['locked.xlsx', 'REG_XLSX_ENCRYPTED'],
      ['trunc.xlsx', 'REG_XLSX_CORRUPT'],
    ]) {
      const r = spawnSync(process.execPath, [BIN, 'registers', 'import', path.join(d, f), '--db', path.join(d, 'db.sqlite'), '--format', 'json'], { encoding: 'utf8' });
      expect(r.status, f).toBe(2);
      expect(r.stdout + r.stderr, f).toContain(code);
    }
  });
});

describe('end to end', () => {
  it('imports the example xlsx files through the real binary with this reader', () => {
    const d = tmp();
    const files = ['高血压患者管理名册.xlsx', '2型糖尿病患者随访记录.xlsx'].map((f) => path.resolve('examples/registers', f));
    for (const f of files) expect(existsSync(f)).toBe(true);
    const r = spawnSync(process.execPath, [BIN, 'registers', 'import', ...files, '--db', path.join(d, 'e.sqlite'), '--format', 'json'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const list = Array.isArray(out) ? out : out.files ?? out.summaries ?? [];
    const total = JSON.stringify(out);
    expect(total).toContain('hypertension_patients');
    expect(total).toContain('diabetes_followups');
    expect(list.length).toBeGreaterThan(0);
  });

  // Without LibreOffice the test is reported as skipped (not passed); the exceljs comparisons above still cover the reader.
  it.skipIf(!SOFFICE)('reads a LibreOffice-converted xlsx the same as exceljs (needs soffice)', async () => {
    const soffice = SOFFICE;
    const d = tmp();
    const csv = path.join(d, 'lo.csv');
    const lines = ['档案编号,姓名,随访日期,收缩压,舒张压'];
    for (let i = 0; i < 500; i++) lines.push(`${1000 + i},王${'明'.repeat(1 + (i % 4))},2025-0${1 + (i % 9)}-1${i % 10},${120 + (i % 30)},${70 + (i % 20)}`);
    writeFileSync(csv, lines.join('\n') + '\n');
    const r = spawnSync(soffice, ['--headless', '--infilter=CSV:44,34,76,1', `-env:UserInstallation=file://${d}/profile`, '--convert-to', 'xlsx', '--outdir', d, csv], { encoding: 'utf8', timeout: 120000 });
    const xlsx = path.join(d, 'lo.xlsx');
    expect(existsSync(xlsx), r.stderr).toBe(true);
    copyFileSync(xlsx, path.join(d, 'copy.xlsx'));
    expect(await compareWithExcelJS(xlsx)).toBeGreaterThan(2000);
    const wb = await openWorkbook(xlsx);
    const rows = await allRows(xlsx, wb.sheets[0].name);
    expect(rows.length).toBe(501);
    expect(rows[1].cells[1]).toBe('王明');
    expect(rows[1].dateCols).toContain(2);
    expect(serialToMs(rows[1].cells[2] as number, wb.date1904)).toBe(Date.UTC(2025, 0, 10));
  }, 180000);
});
