// Import summaries as text (a table per file, row problems) or JSON. Personal data never appears in them.
import type { ImportSummary } from '../../registers/import.js';
import { formatPosition } from '../../issues.js';

export async function importSummaryText(summaries: ImportSummary[], opts: { color?: boolean; maxIssues?: number } = {}): Promise<string> {
  const Table = (await import('cli-table3')).default;
  const { Chalk } = await import('chalk');
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const lines: string[] = [];
  const t = new Table({
    head: ['文件', '工作表', '登记表', '读取行数', '新增', '更新', '未变', '拒绝', '警告', '行/秒'],
    style: { head: opts.color ? ['cyan'] : [], border: opts.color ? ['grey'] : [] },
  });
  for (const s of summaries) {
    if (s.error) {
      t.push([s.file, { colSpan: 9, content: c.red(`失败 [${s.error.code}]：${s.error.message}`) }]);
      continue;
    }
    if (s.skipped) {
      const text = `${s.skipped.error ? '未导入' : '跳过'} [${s.skipped.code}]：${s.skipped.message}`;
      t.push([s.file, s.sheet ?? '', { colSpan: 8, content: s.skipped.error ? c.red(text) : c.gray(text) }]);
      continue;
    }
    const sum = s.inserted + s.updated + s.unchanged + s.rejected;
    t.push([
      s.file, s.sheet ?? '', `${s.registerName}\n${s.register}`, String(s.rowsRead), String(s.inserted), String(s.updated),
      String(s.unchanged), s.rejected ? c.red(String(s.rejected)) : '0', s.warnings ? c.yellow(String(s.warnings)) : '0',
      String(s.rowsPerSecond),
    ]);
    if (sum !== s.rowsRead) lines.push(c.red(`内部错误：${s.file} 四项合计 ${sum} ≠ 读取行数 ${s.rowsRead}`));
  }
  lines.unshift(t.toString());
  for (const s of summaries) {
    if (s.skipped?.error) {
      lines.push(c.red(`未导入 [${s.skipped.code}]：${s.skipped.message}`));
      if (s.skipped.hint) lines.push(`  提示：${s.skipped.hint}`);
    }
  }
  for (const s of summaries) {
    if (s.ignoredColumns.length) lines.push(c.gray(`${s.file}${s.sheet ? ` 工作表「${s.sheet}」` : ''}：未使用的列：${s.ignoredColumns.join('、')}`));
  }
  const max = opts.maxIssues ?? 20;
  const issues = summaries.flatMap((s) => s.issues);
  if (issues.length) {
    lines.push('', '行问题（完整清单见数据库 rejected_rows / row_warnings，或用 gongwei registers rejects 导出）：');
    for (const i of issues.slice(0, max)) {
      const tag = i.severity === 'error' ? c.red('拒绝') : c.yellow('警告');
      lines.push(`  ${tag} ${formatPosition(i)} [${i.code}] ${i.message}`);
    }
    const total = summaries.reduce((n, s) => n + s.rejected + s.warnings, 0);
    if (total > max) lines.push(c.gray(`  …… 共 ${total} 条，仅显示前 ${max} 条`));
  }
  const ok = summaries.filter((s) => s.register && !s.error);
  if (ok.length) {
    const tot = ok.reduce((a, s) => ({ r: a.r + s.rowsRead, i: a.i + s.inserted, u: a.u + s.updated, n: a.n + s.unchanged, x: a.x + s.rejected }), { r: 0, i: 0, u: 0, n: 0, x: 0 });
    lines.push('', `合计：读取 ${tot.r} 行 = 新增 ${tot.i} + 更新 ${tot.u} + 未变 ${tot.n} + 拒绝 ${tot.x}`);
  }
  return `${lines.join('\n')}\n`;
}

export function importSummaryJson(summaries: ImportSummary[]): string {
  return `${JSON.stringify(summaries, null, 2)}\n`;
}
