// A values file ready to fill in: one row per 自定义 target (and hand-scored 考核 item) and period, for the unit and,
// when asked, each village — with the target beside it, the value and its source left blank.
import { targetPhrase } from '../../catalog/target.js';
import type { CustomTarget } from '../../plan/plan-targets.js';
import type { Row, Sheet } from '../../table.js';
import type { ScoredItem } from './check.js';
import { VALUE_COLUMNS } from './read.js';

export function valuesTemplate(custom: CustomTarget[], scored: ScoredItem[], period: string, villages: string[] = []): Sheet {
  const rows: Row[] = [];
  for (const village of ['', ...villages]) {
    for (const t of custom) rows.push({ 指标: t.name, 期间: period, 村: village, 目标: targetPhrase(t.target) });
    for (const s of scored) rows.push({ 指标: s.name, 期间: period, 村: village, 目标: `人工评分，满分${s.weight}分` });
  }
  const widths: Record<string, number> = { 指标: 24, 期间: 10, 村: 10, 目标: 18, 数值: 10, 分子: 8, 分母: 8, 数据来源: 30, 备注: 30 };
  const columns = ['指标', '期间', '村', '目标', ...VALUE_COLUMNS.filter((c) => !['指标', '期间', '村'].includes(c))].map((c) => ({ key: c, header: c, width: widths[c], numFmt: '@' }));
  return { name: '人工填报', columns, rows };
}

/** The same rows as YAML (flow mappings, one a line); blank cells are left out, the target as a comment. */
export function valuesTemplateYaml(sheet: Sheet): string {
  const q = (v: unknown) => (/^[\d.]+$|[:#,{}[\]]/.test(String(v)) ? `'${String(v)}'` : String(v));
  const lines = ['# 人工填报：填写“数值”（比率写 %，如 99.2%）和“数据来源”，可加 分子、分母、备注；没填的行不读取。'];
  for (const r of sheet.rows) {
    const keys = ['指标', '期间', '村'].filter((k) => r[k] !== '' && r[k] !== undefined);
    lines.push(`- {${keys.map((k) => `${k}: ${q(r[k])}`).join(', ')}, 数值: , 数据来源: }   # 目标：${String(r.目标)}`);
  }
  return lines.join('\n') + '\n';
}
