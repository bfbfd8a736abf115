// Reports of `plan import`: a text summary (chapters, targets linked and custom, places to check) and JSON.
import type { ImportResult } from '../../plan-import/index.js';
import { summarize } from '../../plan-import/summary.js';
import type { Check } from '../../plan-import/tree.js';

export interface ImportedDraft {
  plan: ImportResult['plans'][number];
  /** Where the draft was written; undefined when it went to stdout (or into the JSON). */
  output?: string;
  yaml: string;
}

const FORMAT_NAMES: Record<string, string> = { text: '文本文件', markdown: 'Markdown 文件', docx: 'Word 文档', converted: '经 LibreOffice 转换的文档' };
const SHOWN_PER_PLAN = 8;

const pct = (a: number, b: number) => (b ? `${Math.round((a / b) * 100)}%` : '—');
const line = (c: Check, unit: string) => `  ${c.at ? `第${c.at}${unit}：` : ''}${c.message}  [${c.code}]`;

export function reportImportText(result: ImportResult, drafts: ImportedDraft[]): string {
  const lines: string[] = [];
  const enc = result.encoding ? `，${result.encoding.toUpperCase()}` : '';
  lines.push(`从 ${result.file} 导入（${FORMAT_NAMES[result.format] ?? result.format}${enc}）：${drafts.length} 篇计划`);
  for (const n of result.notes) lines.push(line(n, result.unit));
  const total = { linked: 0, custom: 0, check: result.notes.filter((n) => n.severity === 'warning').length, sentences: 0, withTargets: 0 };
  for (const d of drafts) {
    const s = summarize(d.plan);
    total.linked += s.targets.linked;
    total.custom += s.targets.custom;
    total.check += s.toCheck;
    total.sentences += s.targetSentences.sentences;
    total.withTargets += s.targetSentences.withTargets;
    const title = d.plan.meta.标题?.value ?? '（没有标题）';
    lines.push('');
    lines.push(`${d.output ? `草稿 ${d.output}` : '草稿'}：“${title}”`);
    lines.push(`  章 ${s.chapters}，节 ${s.sections}，段落 ${s.paragraphs}，列表 ${s.lists}，表格 ${s.tables}${s.attachments ? `，附件 ${s.attachments}` : ''}；` +
      `目标 ${s.targets.linked + s.targets.custom} 个（对应指标目录 ${s.targets.linked} 个，自定义 ${s.targets.custom} 个${s.targets.placeholders ? `，其中 ${s.targets.placeholders} 个还是占位符` : ''}）；请核对 ${s.toCheck} 处`);
    const warnings = d.plan.checks.filter((c) => c.severity === 'warning');
    for (const c of warnings.slice(0, SHOWN_PER_PLAN)) lines.push(line(c, result.unit));
    if (warnings.length > SHOWN_PER_PLAN) lines.push(`  ……另有 ${warnings.length - SHOWN_PER_PLAN} 处，见草稿中的“# 请核对”注释`);
  }
  lines.push('');
  lines.push(`合计：目标 ${total.linked + total.custom} 个（对应指标目录 ${total.linked} 个，自定义 ${total.custom} 个）；含百分数或升降目标的句子 ${total.sentences} 句，其中 ${total.withTargets} 句识别出目标（${pct(total.withTargets, total.sentences)}）；请核对 ${total.check} 处。`);
  lines.push(`下一步：按草稿中“# 请核对”的注释修改，再运行 gongwei plan validate ${drafts.length > 1 ? '<目录>' : (drafts[0]?.output ?? '<草稿>')}。`);
  return `${lines.join('\n')}\n`;
}

export function reportImportJson(result: ImportResult, drafts: ImportedDraft[]): string {
  const pos = (at: number | undefined) => (at === undefined ? undefined : result.unit === '行' ? { line: at } : { paragraph: at });
  const check = (c: Check) => ({ code: c.code, severity: c.severity, message: c.message, position: pos(c.at) });
  return `${JSON.stringify(
    {
      file: result.file,
      format: result.format,
      encoding: result.encoding,
      notes: result.notes.map(check),
      plans: drafts.map((d) => ({
        index: d.plan.part?.index ?? 1,
        label: d.plan.part?.label,
        output: d.output,
        meta: Object.fromEntries(Object.entries(d.plan.meta).map(([k, v]) => [k, Array.isArray(v) ? v.map((f) => f.value) : { value: v.value, guessed: v.guessed, position: pos(v.at) }])),
        summary: summarize(d.plan),
        targets: d.plan.targets.map((t) => ({
          name: t.name,
          target: t.target,
          indicator: t.indicator?.id,
          indicatorName: t.indicator?.name,
          custom: !t.indicator,
          placeholder: t.placeholder,
          sentence: t.sentence,
          position: pos(t.at),
        })),
        checks: d.plan.checks.map(check),
        ...(d.output ? {} : { draft: d.yaml }),
      })),
    },
    null,
    2,
  )}\n`;
}
