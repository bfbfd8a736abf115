// `gongwei indicators gaps <id>`: the people in the denominator but not the numerator (opt-in personal data, masked on screen).
import { openDatabase } from '../../db.js';
import { loadIndicatorCatalog } from '../../catalog/indicators.js';
import { computeGaps, type GapRow } from '../../indicators/gaps.js';
import { parsePeriod } from '../../indicators/period.js';
import { maskName } from '../../registers/id-number.js';
import { writeOutput } from '../output.js';
import { sqlTimeoutMs } from '../sql-timeout.js';

interface Options {
  db: string;
  period: string;
  schedule?: string;
  catalog?: string;
  sqlTimeout?: string;
  output?: string;
  showPersonal?: boolean;
}

const HEAD = ['所属村', '责任医生', '编号', '姓名', '原因', '详细情况'];
const cells = (g: GapRow, mask: boolean) => [g.village ?? '（未填写）', g.doctor ?? '', g.personId, g.name ? (mask ? maskName(g.name) : g.name) : '', g.reason, g.detail];

export default async function indicatorsGaps(args: string[], opts: Options): Promise<number> {
  const period = parsePeriod(opts.period);
  const sqlTimeout = sqlTimeoutMs(opts.sqlTimeout);
  const catalog = loadIndicatorCatalog({ schedule: opts.schedule, extraDirs: opts.catalog ? [opts.catalog] : [] });
  const def = catalog.resolve(args[0]!);
  const db = openDatabase(opts.db, { readonly: true, mustExist: true });
  let rows: GapRow[];
  try {
    rows = computeGaps(db, args[0]!, { period, schedule: opts.schedule, catalog, sqlTimeoutMs: sqlTimeout });
  } finally {
    db.close();
  }
  const unit = def?.gapUnit ?? '人';
  const title = `${def?.name ?? args[0]} · ${period.label} · 未达标${unit === '人' ? '人员' : ''} ${rows.length} ${unit}`;
  if (opts.output && /\.csv$/i.test(opts.output)) {
    const csv = [HEAD, ...rows.map((g) => cells(g, false))].map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n');
    writeOutput('\ufeff' + csv + '\r\n', opts.output);
  } else if (opts.output) {
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('人员清单', { views: [{ state: 'frozen', ySplit: 2 }] });
    ws.addRow([title]).font = { bold: true };
    ws.addRow(HEAD).font = { bold: true };
    for (const g of rows) ws.addRow(cells(g, false));
    [12, 10, 22, 10, 12, 60].forEach((w, i) => (ws.getColumn(i + 1).width = w));
    ws.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: HEAD.length } };
    writeOutput(Buffer.from(await wb.xlsx.writeBuffer()), opts.output);
  }
  if (opts.output) {
    process.stderr.write(`${title}；清单（含个人信息）已写入 ${opts.output}\n`);
    return 0;
  }
  const { default: Table } = await import('cli-table3');
  const table = new Table({ head: HEAD, style: { head: [], border: [], compact: true }, wordWrap: true, colWidths: [null, null, null, null, null, 64] as (number | null)[] });
  for (const g of rows) table.push(cells(g, !opts.showPersonal));
  writeOutput(`${title}\n${table.toString()}\n${opts.showPersonal ? '' : '（姓名已脱敏；用 -o 清单.xlsx 导出完整清单，或加 --show-personal 在屏幕上显示）\n'}`);
  return 0;
}
