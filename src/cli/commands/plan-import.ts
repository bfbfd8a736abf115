// `gongwei plan import <文件>`: a Word/WPS/text plan becomes YAML draft(s) in the plan format, with a summary of what to check.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { GongweiError } from '../../errors.js';
import { planSchemaFile } from '../../plan/load.js';
import { importPlanFile, planDraftYaml } from '../../plan-import/index.js';
import { checkOutput, writeOutput } from '../output.js';
import { reportImportJson, reportImportText, type ImportedDraft } from '../reporters/plan-import.js';

interface Options {
  output?: string;
  split?: boolean;
  format: 'text' | 'json';
  force?: boolean;
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

/** 01-卫生院年度工作计划.yaml: the plan's place and title, without characters file systems refuse. */
function draftName(title: string | undefined, index: number): string {
  const safe = [...(title ?? '计划').replace(/[\\/:*?"<>|\s\u0000-\u001f]+/g, '')].slice(0, 40).join('') || '计划';
  return `${String(index).padStart(2, '0')}-${safe}.yaml`;
}

export default async function planImport(args: string[], opts: Options): Promise<number> {
  const file = args[0]!;
  checkOutput(opts.output, { inputs: [file] });
  const result = importPlanFile(file, { split: opts.split });
  const many = result.plans.length > 1;
  const out = opts.output && opts.output !== '-' ? opts.output : undefined;
  if (many && !out && opts.format !== 'json') {
    throw new GongweiError('PLAN_IMPORT_NEEDS_DIR', `这个文件分成了 ${result.plans.length} 篇计划，请用 -o 指定一个目录存放草稿`, { hint: `例如：gongwei plan import ${file} --split -o 草稿/` });
  }
  const toDir = out !== undefined && (many || isDir(out) || /[\\/]$/.test(out) || (opts.split && !/\.ya?ml$/i.test(out)));
  if (out && !toDir && !/\.ya?ml$/i.test(out)) {
    throw new GongweiError('PLAN_IMPORT_OUTPUT_NAME', `草稿是 YAML 文件，-o 应写成 .yaml 文件名或一个目录：${out}`, { hint: '例如：-o 2026年工作计划.yaml，或加 --split 时 -o 草稿/' });
  }
  const targets = result.plans.map((p, i) => (out ? (toDir ? path.join(out, draftName(p.meta.标题?.value, p.part?.index ?? i + 1)) : out) : undefined));
  if (!opts.force) {
    const existing = targets.filter((t): t is string => t !== undefined && existsSync(t));
    if (existing.length) throw new GongweiError('FILE_EXISTS', `文件已存在：${existing[0]}${existing.length > 1 ? ` 等 ${existing.length} 个` : ''}`, { hint: '加 --force 覆盖，或用 -o 换一个位置。' });
  }

  const source = path.basename(file);
  const drafts: ImportedDraft[] = result.plans.map((plan, i) => {
    const output = targets[i];
    const schemaRef = output ? path.relative(path.dirname(path.resolve(output)), planSchemaFile).split(path.sep).join('/') : planSchemaFile;
    return { plan, output, yaml: planDraftYaml(result, plan, { schemaRef, source }) };
  });
  for (const d of drafts) if (d.output) checkOutput(d.output, { inputs: [file] });
  for (const d of drafts) if (d.output) writeOutput(d.yaml, d.output, { inputs: [file] });

  if (opts.format === 'json') {
    writeOutput(reportImportJson(result, drafts));
  } else if (out) {
    writeOutput(reportImportText(result, drafts));
  } else {
    // The draft goes to stdout (gongwei plan import 计划.docx > 计划.yaml), the summary to stderr.
    writeOutput(drafts[0]!.yaml);
    process.stderr.write(reportImportText(result, drafts));
  }
  return 0;
}
