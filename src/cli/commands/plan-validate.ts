// `gongwei plan validate <paths…>`: schema + domain rules, reported as text/json/github/junit.
import { loadIndicatorCatalog } from '../../catalog/indicators.js';
import { hasErrors } from '../../issues.js';
import { expandPlanPaths, validatePlans } from '../../plan/validate.js';
import { checkOutput, useColour, writeOutput } from '../output.js';
import { noPaint, reportGithub, reportJson, reportJunit, reportText, type Paint, type ValidateFormat } from '../reporters/validate.js';

interface Options {
  format: ValidateFormat;
  output?: string;
  strict?: boolean;
  quiet?: boolean;
  catalog?: string;
}

export default async function planValidate(paths: string[], opts: Options): Promise<number> {
  const files = expandPlanPaths(paths);
  checkOutput(opts.output, { inputs: files });
  const all = validatePlans(files, opts.catalog ? { catalog: loadIndicatorCatalog({ extraDirs: [opts.catalog] }) } : {});
  // -q hides warnings from the report, not from --strict: the exit code is decided on every issue.
  const failed = hasErrors(all.flatMap((r) => r.issues), opts.strict);
  const reports = opts.quiet ? all.map((r) => ({ ...r, issues: r.issues.filter((i) => i.severity === 'error') })) : all;
  const hidden = opts.quiet ? all.reduce((n, r) => n + r.issues.filter((i) => i.severity !== 'error').length, 0) : 0;
  let out: string;
  switch (opts.format) {
    case 'json':
      out = reportJson(reports);
      break;
    case 'github':
      out = reportGithub(reports);
      break;
    case 'junit':
      out = reportJunit(reports);
      break;
    default: {
      let paint: Paint = noPaint;
      if (!opts.output && useColour()) {
        const { default: chalk } = await import('chalk');
        paint = { red: chalk.red, yellow: chalk.yellow, dim: chalk.dim, bold: chalk.bold, green: chalk.green, underline: chalk.underline };
      }
      out = reportText(reports, paint, { hidden, strict: opts.strict });
    }
  }
  writeOutput(out, opts.output, { inputs: files });
  return failed ? 1 : 0;
}
