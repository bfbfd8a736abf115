// Reporters for `indicators compute`: text table, JSON (stable shape), CSV, xlsx.
import type { ComputeResult, IndicatorResult } from '../../indicators/types.js';
import { formatValue, targetPhrase } from '../../catalog/target.js';

export type ComputeFormat = 'text' | 'json' | 'csv' | 'xlsx';

export interface StatusPaint {
  ok(s: string): string;
  bad(s: string): string;
  dim(s: string): string;
}
const plain: StatusPaint = { ok: (s) => s, bad: (s) => s, dim: (s) => s };

const groupLabel = (r: IndicatorResult) => r.group ?? '全部';

/** A cli-table3 table per group (whole unit first), status coloured. */
export async function reportComputeText(res: ComputeResult, paint: StatusPaint = plain): Promise<string> {
  const { default: Table } = await import('cli-table3');
  const withTargets = res.results.some((r) => r.status !== undefined);
  const groups = [...new Set(res.results.map(groupLabel))];
  const out: string[] = [`统计期间：${res.period.label}（${res.period.start} 至 ${res.period.end}）  免疫程序：${res.schedule}`];
  for (const g of groups) {
    const head = ['指标', '分子', '分母', '结果', ...(withTargets ? ['目标', '状态', '差距'] : []), '说明'];
    const table = new Table({ head, style: { head: [], border: [], compact: true }, wordWrap: true, colWidths: [null, null, null, null, ...(withTargets ? [null, null, null] : []), 36] as (number | null)[] });
    for (const r of res.results.filter((x) => groupLabel(x) === g)) {
      const status = r.status === '达标' ? paint.ok(r.status) : r.status === '未达标' ? paint.bad(r.status) : r.status ? paint.dim(r.status) : '';
      table.push([
        r.name,
        r.numerator ?? '—',
        r.kind === 'count' ? '' : r.denominator ?? '—',
        formatValue(r.value, r.unit, '—'),
        ...(withTargets ? [targetPhrase(r.target), status, r.gap ? `${r.gap}${r.gapUnit ?? '人'}` : ''] : []),
        [r.reason, r.flags?.includes('RATE_ABOVE_100') ? '超过100%，请核实数据' : ''].filter(Boolean).join('；'),
      ]);
    }
    out.push(res.by ? `\n【${g}】` : '', table.toString());
  }
  if (res.notes.length) {
    out.push('\n数据质量提示：');
    for (const n of res.notes) out.push(`  - [${n.code}] ${n.message}${n.examples?.length ? `（如：${n.examples.slice(0, 5).join('、')}）` : ''}`);
  }
  return out.filter((l) => l !== '').join('\n') + '\n';
}

/** JSON shape (documented in docs/indicators.md): { period, by, schedule, results[], notes[] }. */
export function reportComputeJson(res: ComputeResult): string {
  return JSON.stringify(
    {
      period: res.period,
      by: res.by,
      schedule: res.schedule,
      results: res.results.map((r) => ({
        id: r.id,
        name: r.name,
        group: r.group,
        unit: r.unit,
        kind: r.kind,
        numerator: r.numerator,
        denominator: r.denominator,
        value: r.value,
        reason: r.reason ?? null,
        target: r.target ? { ...r.target } : null,
        status: r.status ?? null,
        gap: r.gap ?? null,
        gapUnit: r.gap === undefined ? null : r.gapUnit ?? '人',
        flags: r.flags ?? [],
      })),
      notes: res.notes,
    },
    null,
    2,
  ) + '\n';
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function reportComputeCsv(res: ComputeResult): string {
  const head = ['期间', '分组', '指标编号', '指标名称', '单位', '分子', '分母', '结果', '目标', '状态', '差距', '差距单位', '说明'];
  const rows = res.results.map((r) => [
    res.period.label,
    r.group ?? '全部',
    r.id,
    r.name,
    r.unit,
    r.numerator,
    r.denominator,
    r.value === null ? '' : +r.value.toFixed(4),
    targetPhrase(r.target),
    r.status ?? '',
    r.gap ?? '',
    r.gap === undefined ? '' : r.gapUnit ?? '人',
    r.reason ?? '',
  ]);
  return '\ufeff' + [head, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** xlsx: a sheet for the whole unit and one per group; numbers as numbers, percent formats, frozen header, unmet targets highlighted. */
export async function reportComputeXlsx(res: ComputeResult): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'gongwei';
  const groups = [...new Set(res.results.map(groupLabel))];
  const usedNames = new Set<string>();
  for (const g of groups) {
    let name = (g === '全部' ? '全部' : g).replace(/[\\/?*[\]:]/g, '_').slice(0, 31);
    while (usedNames.has(name)) name = `${name.slice(0, 28)}_${usedNames.size}`;
    usedNames.add(name);
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = [
      { header: '指标', key: 'name', width: 30 },
      { header: '指标编号', key: 'id', width: 34 },
      { header: '分子', key: 'num', width: 10 },
      { header: '分母', key: 'den', width: 10 },
      { header: '结果', key: 'value', width: 10 },
      { header: '单位', key: 'unit', width: 8 },
      { header: '目标', key: 'target', width: 14 },
      { header: '状态', key: 'status', width: 8 },
      { header: '差距', key: 'gap', width: 10 },
      { header: '说明', key: 'reason', width: 40 },
    ];
    ws.getRow(1).font = { bold: true };
    for (const r of res.results.filter((x) => groupLabel(x) === g)) {
      const isPct = r.unit === '%';
      const row = ws.addRow({
        name: r.name,
        id: r.id,
        num: r.numerator,
        den: r.kind === 'count' ? null : r.denominator,
        value: r.value === null ? null : isPct ? r.value / 100 : r.value,
        unit: r.unit,
        target: targetPhrase(r.target),
        status: r.status ?? '',
        gap: r.gap ?? null,
        reason: r.reason ?? '',
      });
      row.getCell('value').numFmt = isPct ? '0.0%' : r.kind === 'count' ? '0' : '0.0';
      if (r.gap !== undefined) row.getCell('gap').numFmt = `0"${r.gapUnit ?? '人'}"`;
      if (r.status === '未达标') {
        row.eachCell((c) => {
          c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFE0E0' } };
        });
      }
    }
  }
  if (res.notes.length) {
    const ws = wb.addWorksheet('数据质量');
    ws.columns = [{ header: '代码', key: 'code', width: 30 }, { header: '说明', key: 'message', width: 80 }, { header: '示例', key: 'ex', width: 40 }];
    ws.getRow(1).font = { bold: true };
    for (const n of res.notes) ws.addRow({ code: n.code, message: n.message, ex: (n.examples ?? []).join('、') });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
