// Reporters for `indicators compute`: terminal tables, JSON (the stable shape of docs/indicators.md), CSV, xlsx —
// through the one table writer (src/table.ts) that gap lists and rejected rows use too.
import type { ComputeResult, IndicatorResult } from '../../indicators/types.js';
import { formatValue, targetPhrase } from '../../catalog/target.js';
import { manualWords } from '../../indicators/values/results.js';
import { csvTable, textTable, xlsxTable, type Column, type Sheet, type TableFormat } from '../../table.js';

export type ComputeFormat = TableFormat;

export interface StatusPaint {
  ok(s: string): string;
  bad(s: string): string;
  dim(s: string): string;
}
const plain: StatusPaint = { ok: (s) => s, bad: (s) => s, dim: (s) => s };

/** 登记表 for computed results, 人工填报：<数据来源> for values a person supplied, 需人工填报 for 自定义 ones still missing. */
const sourceOf = (r: IndicatorResult) => (r.manual ? `人工填报：${r.manual.source}` : r.custom ? '需人工填报' : '登记表');

const groupLabel = (r: IndicatorResult) => r.group ?? '全部';

/** A terminal table per group (whole unit first), status coloured. */
export async function reportComputeText(res: ComputeResult, paint: StatusPaint = plain): Promise<string> {
  const withTargets = res.results.some((r) => r.status !== undefined);
  const columns: Column[] = [
    { key: 'name', header: '指标' },
    { key: 'num', header: '分子' },
    { key: 'den', header: '分母' },
    { key: 'value', header: '结果' },
    ...(withTargets ? [{ key: 'target', header: '目标' }, { key: 'status', header: '状态' }, { key: 'gap', header: '差距' }] : []),
    { key: 'note', header: '说明', wrap: 36 },
  ];
  const sheets: Sheet[] = groupsOf(res).map((g) => ({
    name: g,
    columns,
    rows: res.results.filter((x) => groupLabel(x) === g).map((r) => ({
      name: r.name,
      num: r.numerator ?? '—',
      den: r.kind === 'count' ? '' : r.denominator ?? '—',
      value: formatValue(r.value, r.unit, '—'),
      target: targetPhrase(r.target),
      status: r.status === '达标' ? paint.ok(r.status) : r.status === '未达标' ? paint.bad(r.status) : r.status ? paint.dim(r.status) : '',
      gap: r.gap ? `${r.gap}${r.gapUnit ?? '人'}` : '',
      note: [manualWords(r), r.manual?.note, r.reason, r.flags?.includes('RATE_ABOVE_100') ? '超过100%，请核实数据' : ''].filter(Boolean).join('；'),
    })),
  }));
  const out: string[] = [`统计期间：${res.period.label}（${res.period.start} 至 ${res.period.end}）  免疫程序：${res.schedule}`];
  out.push((await textTable(sheets, { headings: Boolean(res.by) })).trimEnd());
  if (res.notes.length) {
    out.push('\n数据质量提示：');
    for (const n of res.notes) out.push(`  - [${n.code}] ${n.message}${n.examples?.length ? `（如：${n.examples.slice(0, 5).join('、')}）` : ''}`);
  }
  return out.filter((l) => l !== '').join('\n') + '\n';
}

const groupsOf = (res: ComputeResult) => [...new Set(res.results.map(groupLabel))];

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
        ...(r.custom ? { custom: true } : {}),
        ...(r.manual ? { manual: { source: r.manual.source, note: r.manual.note ?? null, at: r.manual.at } } : {}),
      })),
      notes: res.notes,
    },
    null,
    2,
  ) + '\n';
}

/** One flat table: a row per indicator and group. */
export function reportComputeCsv(res: ComputeResult): string {
  return csvTable({
    name: '指标',
    columns: ['期间', '分组', '指标编号', '指标名称', '单位', '分子', '分母', '结果', '目标', '状态', '差距', '差距单位', '数据来源', '说明'].map((h) => ({ key: h, header: h })),
    rows: res.results.map((r) => ({
      期间: res.period.label,
      分组: r.group ?? '全部',
      指标编号: r.id,
      指标名称: r.name,
      单位: r.unit,
      分子: r.numerator,
      分母: r.denominator,
      结果: r.value === null ? '' : +r.value.toFixed(4),
      目标: targetPhrase(r.target),
      状态: r.status ?? '',
      差距: r.gap ?? '',
      差距单位: r.gap === undefined ? '' : r.gapUnit ?? '人',
      数据来源: sourceOf(r),
      说明: [r.manual?.note, r.reason].filter(Boolean).join('；'),
    })),
  });
}

/** xlsx: a sheet for the whole unit and one per group; numbers as numbers, percent formats, frozen header, unmet targets highlighted. */
export async function reportComputeXlsx(res: ComputeResult): Promise<Buffer> {
  const columns: Column[] = [
    { header: '指标', key: 'name', width: 30 },
    { header: '指标编号', key: 'id', width: 34 },
    { header: '分子', key: 'num', width: 10 },
    { header: '分母', key: 'den', width: 10 },
    { header: '结果', key: 'value', width: 10, numFmt: (r) => (r.unit === '%' ? '0.0%' : r.kind === 'count' ? '0' : '0.0') },
    { header: '单位', key: 'unit', width: 8 },
    { header: '目标', key: 'target', width: 14 },
    { header: '状态', key: 'status', width: 8 },
    { header: '差距', key: 'gap', width: 10, numFmt: (r) => (r.gap === null ? undefined : `0"${String(r.gapUnit)}"`) },
    { header: '数据来源', key: 'source', width: 30 },
    { header: '说明', key: 'reason', width: 40 },
  ];
  const sheets: Sheet[] = groupsOf(res).map((g) => ({
    name: g,
    columns,
    rows: res.results.filter((x) => groupLabel(x) === g).map((r) => ({
      name: r.name,
      id: r.id,
      num: r.numerator,
      den: r.kind === 'count' ? null : r.denominator,
      value: r.value === null ? null : r.unit === '%' ? r.value / 100 : r.value,
      unit: r.unit,
      kind: r.kind,
      target: targetPhrase(r.target),
      status: r.status ?? '',
      gap: r.gap ?? null,
      gapUnit: r.gapUnit ?? '人',
      source: sourceOf(r),
      reason: [r.manual?.note, r.reason].filter(Boolean).join('；'),
    })),
    fill: (r) => (r.status === '未达标' ? 'FFFFE0E0' : undefined),
  }));
  if (res.notes.length) {
    sheets.push({
      name: '数据质量',
      columns: [{ header: '代码', key: 'code', width: 30 }, { header: '说明', key: 'message', width: 80 }, { header: '示例', key: 'ex', width: 40 }],
      rows: res.notes.map((n) => ({ code: n.code, message: n.message, ex: (n.examples ?? []).join('、') })),
    });
  }
  return xlsxTable(sheets);
}
