// A blank xlsx form for a register: canonical headers, widths, formats, drop-down lists and a 填表说明 sheet.
import type { ColumnDef, RegisterDef } from '../catalog/registers.js';

const TYPE_LABEL: Record<ColumnDef['type'], string> = {
  text: '文本型', integer: '整数型', number: '数值型', date: '日期型（如 2025-03-05）', datetime: '日期时间型（如 2025-03-05 14:20）',
  boolean: '是否型（是/否）', sex: '性别型（男/女）', id_number: '18位居民身份证号码（设为文本）', vaccine: '疫苗名称型', enum: '选择型',
};

function width(c: ColumnDef): number {
  switch (c.type) {
    case 'id_number': return 22;
    case 'datetime': return 18;
    case 'date': return 13;
    case 'sex': case 'boolean': return 8;
    default: return Math.max(10, Math.min(30, c.header.length * 2 + 4));
  }
}

/** Drop-down values of a column, if it has a fixed list. */
export function dropDownValues(c: ColumnDef, vaccineNames: string[]): string[] | undefined {
  if (c.type === 'sex') return ['男', '女'];
  if (c.type === 'boolean') return ['是', '否'];
  if (c.type === 'vaccine') return vaccineNames.length ? vaccineNames : undefined;
  return c.values;
}

/** The template workbook as an xlsx Buffer. */
export async function templateWorkbook(reg: RegisterDef, opts: { vaccineNames?: string[]; rows?: number } = {}): Promise<Buffer> {
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  const cols = reg.columns.filter((c) => !c.derived);
  const ws = wb.addWorksheet(reg.name.slice(0, 31));
  const lists = wb.addWorksheet('取值', { state: 'hidden' });
  ws.addRow(cols.map((c) => c.header));
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  const last = (opts.rows ?? 1000) + 1;
  let listCol = 0;
  // exceljs keeps range validations here (one rule per column instead of one per cell).
  const dv = (ws as unknown as { dataValidations: { add(address: string, v: unknown): void } }).dataValidations;
  cols.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = width(c);
    if (c.type === 'date') col.numFmt = 'yyyy-mm-dd';
    else if (c.type === 'datetime') col.numFmt = 'yyyy-mm-dd hh:mm';
    else if (c.type === 'text' || c.type === 'id_number') col.numFmt = '@';
    const cell = ws.getCell(1, i + 1);
    if (c.required) cell.font = { bold: true, color: { argb: 'FFC00000' } };
    cell.note = `${TYPE_LABEL[c.type]}${c.required ? '，必填' : ''}`;
    const values = dropDownValues(c, opts.vaccineNames ?? []);
    if (values?.length) {
      listCol++;
      const letter = lists.getColumn(listCol).letter;
      lists.getCell(1, listCol).value = c.header;
      values.forEach((v, k) => (lists.getCell(k + 2, listCol).value = v));
      const range = `'取值'!$${letter}$2:$${letter}$${values.length + 1}`;
      const colLetter = col.letter;
      {
        dv.add(`${colLetter}2:${colLetter}${last}`, {
          type: 'list', allowBlank: !c.required, formulae: [range],
          showErrorMessage: c.type !== 'vaccine' && c.type !== 'text', errorStyle: 'warning', error: `请从列表中选择：${values.slice(0, 10).join('、')}`,
        });
      }
    } else if (c.type === 'date') {
      {
        dv.add(`${col.letter}2:${col.letter}${last}`, {
          type: 'date', operator: 'greaterThan', allowBlank: true, formulae: [new Date(Date.UTC(1900, 0, 1))],
          showErrorMessage: true, errorStyle: 'warning', error: '请填写日期，如 2025-03-05',
        });
      }
    }
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const help = wb.addWorksheet('填表说明');
  help.getColumn(1).width = 24;
  help.getColumn(2).width = 36;
  help.getColumn(3).width = 8;
  help.getColumn(4).width = 60;
  help.addRow([`${reg.name}（${reg.id}）填表说明`]).font = { bold: true, size: 14 };
  help.addRow([reg.description]);
  help.addRow([`同一${reg.naturalKey.map((k) => reg.columns.find((c) => c.name === k)!.header).join('+')}只填一行；重复导入时按它更新。`]);
  help.addRow(['红色列名为必填；日期写成 2025-03-05 或用 Excel 日期格式；身份证号请设为文本格式，避免末位变成 0 或科学计数法。']);
  help.addRow([]);
  help.addRow(['栏目', '填写格式', '必填', '可选值 / 其他写法']).font = { bold: true };
  for (const c of cols) {
    const values = dropDownValues(c, opts.vaccineNames ?? []);
    const other = (c.aliases ?? []).length ? `表头也可写作：${(c.aliases ?? []).slice(0, 6).join('、')}` : '';
    help.addRow([`「${c.header}」`, TYPE_LABEL[c.type], c.required ? '必填' : '', [values ? `可选：${values.join('、')}` : '', other].filter(Boolean).join('；')]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
