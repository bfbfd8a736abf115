// `gongwei indicators gaps <id>`: the people in the denominator but not the numerator (opt-in personal data, masked on screen).
import { openDatabase } from '../../db.js';
import { loadIndicatorCatalog } from '../../catalog/indicators.js';
import { GongweiError } from '../../errors.js';
import { computeGaps, type GapRow } from '../../indicators/gaps.js';
import { parsePeriod } from '../../indicators/period.js';
import { maskName } from '../../registers/id-number.js';
import { csvTable, jsonTable, tableFormat, textTable, xlsxTable, type Sheet, type TableFormat } from '../../table.js';
import { checkBinaryToTerminal, checkOutput, writeOutput } from '../output.js';
import { sqlTimeoutMs } from '../sql-timeout.js';

interface Options {
  db: string;
  period: string;
  schedule?: string;
  catalog?: string;
  sqlTimeout?: string;
  format?: TableFormat;
  output?: string;
  showPersonal?: boolean;
}

const COLUMNS = [
  { key: 'village', header: '所属村', width: 12 },
  { key: 'doctor', header: '责任医生', width: 10 },
  { key: 'personId', header: '编号', width: 22 },
  { key: 'name', header: '姓名', width: 10 },
  { key: 'reason', header: '原因', width: 12 },
  { key: 'detail', header: '详细情况', width: 60, wrap: 64 },
];

export default async function indicatorsGaps(args: string[], opts: Options): Promise<number> {
  const period = parsePeriod(opts.period);
  const sqlTimeout = sqlTimeoutMs(opts.sqlTimeout);
  const guard = { database: opts.db };
  checkOutput(opts.output, guard);
  const format = tableFormat(opts.format, opts.output);
  if (format === 'xlsx' && !opts.output) {
    throw new GongweiError('OUTPUT_REQUIRED', 'xlsx 格式需要用 -o 指定输出文件', { hint: '例如：-o 随访不足名单.xlsx（-o - 写到标准输出，供重定向）' });
  }
  checkBinaryToTerminal(format === 'xlsx', opts.output, 'xlsx');
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
  // A file holds the whole list; what goes to the terminal has names masked unless asked.
  const toFile = Boolean(opts.output && opts.output !== '-');
  const mask = !toFile && !opts.showPersonal;
  const sheet: Sheet = {
    name: '人员清单',
    title,
    columns: COLUMNS,
    rows: rows.map((g) => ({ ...g, village: g.village ?? '（未填写）', doctor: g.doctor ?? '', name: g.name ? (mask ? maskName(g.name) : g.name) : '' })),
    filter: true,
  };
  const out =
    format === 'xlsx' ? await xlsxTable([sheet])
    : format === 'csv' ? csvTable(sheet)
    : format === 'json' ? jsonTable([sheet])
    : await textTable([sheet]);
  // The list names people: a file holding it is readable by its owner only.
  writeOutput(out, opts.output, { ...guard, private: true, format });
  if (toFile) process.stderr.write(`${title}；清单（含个人信息）已写入 ${opts.output}\n`);
  else if (format === 'text' && mask) process.stdout.write('（姓名已脱敏；用 -o 清单.xlsx 导出完整清单，或加 --show-personal 在屏幕上显示）\n');
  return 0;
}
