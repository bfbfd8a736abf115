// Reporters for `plan validate`: text (grouped by file, colour on a TTY), json, github annotations, junit XML.
import path from 'node:path';
import { countBySeverity, type Issue } from '../../issues.js';
import type { FileReport } from '../../plan/validate.js';
import { displayName, STDIO } from '../../files.js';

export type ValidateFormat = 'text' | 'json' | 'github' | 'junit';

const SEV_ZH = { error: '错误', warning: '警告', info: '提示' } as const;

export interface Paint {
  red(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  green(s: string): string;
  underline(s: string): string;
}
export const noPaint: Paint = { red: (s) => s, yellow: (s) => s, dim: (s) => s, bold: (s) => s, green: (s) => s, underline: (s) => s };

/** Control characters from the user's file shown as \u0001 (a terminal would obey them; XML forbids them). */
const visible = (s: string) =>
  s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const safe = (i: Issue): Issue => ({ ...i, message: visible(i.message), ...(i.hint ? { hint: visible(i.hint) } : {}) });

const rel0 = (f: string) => {
  if (!path.isAbsolute(f)) return f;
  const r = path.relative(process.cwd(), f);
  return r && !r.startsWith('..') ? r : f;
};
const rel = (f: string) => visible(rel0(f));

export function reportText(reports: FileReport[], paint: Paint = noPaint, opts: { hidden?: number; strict?: boolean } = {}): string {
  const lines: string[] = [];
  const all = reports.flatMap((r) => r.issues);
  for (const r of reports) {
    if (!r.issues.length) continue;
    lines.push(paint.underline(r.file === STDIO ? displayName(r.file) : rel(r.file)));
    for (const i of r.issues.map(safe)) {
      const sev = i.severity === 'error' ? paint.red(SEV_ZH.error) : paint.yellow(SEV_ZH[i.severity]);
      lines.push(`  ${paint.dim(`${i.line ?? 1}:${i.col ?? 1}`)}  ${sev}  ${i.message}  ${paint.dim(i.code)}`);
      if (i.hint) lines.push(`        ${paint.dim('提示：' + i.hint)}`);
    }
    lines.push('');
  }
  const c = countBySeverity(all);
  const bad = reports.filter((r) => r.issues.some((i) => i.severity === 'error')).length;
  const hidden = opts.hidden ?? 0;
  const hiddenNote = hidden ? `（另有 ${hidden} 个警告未显示${opts.strict ? '，--strict 时按失败处理' : ''}）` : '';
  if (!all.length && !(hidden && opts.strict)) lines.push(paint.green(`✓ ${reports.length} 个计划文件${hidden ? '没有错误' : '全部通过校验'}${hiddenNote}`));
  else if (!all.length) lines.push(paint.bold(`${reports.length} 个文件，没有错误${hiddenNote}`));
  else lines.push(paint.bold(`${reports.length} 个文件，${c.error} 个错误，${c.warning} 个警告（${bad} 个文件有错误）${hiddenNote}`));
  return lines.join('\n') + '\n';
}

export function reportJson(reports: FileReport[]): string {
  const c = countBySeverity(reports.flatMap((r) => r.issues));
  return JSON.stringify({ files: reports.map((r) => ({ file: rel(r.file), kind: r.kind ?? null, valid: !r.issues.some((i) => i.severity === 'error'), issues: r.issues.map(({ file: _f, ...i }) => i) })), summary: { files: reports.length, errors: c.error, warnings: c.warning } }, null, 2) + '\n';
}

const ghEscape = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const ghProp = (s: string) => ghEscape(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub Actions workflow commands: ::error file=…,line=…,col=…,title=CODE::message */
export function reportGithub(reports: FileReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    for (const i of r.issues.map(safe)) {
      const cmd = i.severity === 'error' ? 'error' : i.severity === 'warning' ? 'warning' : 'notice';
      out.push(`::${cmd} file=${ghProp(rel(r.file))},line=${i.line ?? 1},col=${i.col ?? 1},title=${ghProp(i.code)}::${ghEscape(i.message + (i.hint ? `（${i.hint}）` : ''))}`);
    }
  }
  return out.join('\n') + (out.length ? '\n' : '');
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JUnit XML: one testsuite, one testcase per file; errors as failures (warnings only in system-out). */
export function reportJunit(reports: FileReport[]): string {
  const failures = reports.filter((r) => r.issues.some((i: Issue) => i.severity === 'error')).length;
  const cases = reports.map((r) => {
    const issues = r.issues.map(safe);
    const errs = issues.filter((i) => i.severity === 'error');
    const warns = issues.filter((i) => i.severity !== 'error');
    const line = (i: Issue) => `${rel(r.file)}:${i.line ?? 1}:${i.col ?? 1} ${i.code} ${i.message}${i.hint ? `（${i.hint}）` : ''}`;
    const body = errs.length ? `<failure message="${xml(`${errs.length} 个错误：${errs[0]!.message}`)}" type="PlanValidation">${xml(errs.map(line).join('\n'))}</failure>` : '';
    const out = warns.length ? `<system-out>${xml(warns.map(line).join('\n'))}</system-out>` : '';
    return `    <testcase classname="gongwei.plan.validate" name="${xml(rel(r.file))}">${body}${out}</testcase>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="gongwei plan validate" tests="${reports.length}" failures="${failures}">\n  <testsuite name="plan validate" tests="${reports.length}" failures="${failures}" errors="0">\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`;
}
