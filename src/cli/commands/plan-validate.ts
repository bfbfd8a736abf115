// `gongwei plan validate <paths…>`: schema + domain rules, reported as text/json/github/junit.
import { hasErrors } from '../../issues.js';
import { validatePlans } from '../../plan/validate.js';
import { useColour, writeOutput } from '../output.js';
import { noPaint, reportGithub, reportJson, reportJunit, reportText, type Paint, type ValidateFormat } from '../reporters/validate.js';

interface Options {
  format: ValidateFormat;
  output?: string;
  strict?: boolean;
  quiet?: boolean;
}

export default async function planValidate(paths: string[], opts: Options): Promise<number> {
  let reports = validatePlans(paths);
  if (opts.quiet) reports = reports.map((r) => ({ ...r, issues: r.issues.filter((i) => i.severity === 'error') }));
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
      out = reportText(reports, paint);
    }
  }
  writeOutput(out, opts.output);
  return hasErrors(reports.flatMap((r) => r.issues), opts.strict) ? 1 : 0;
}
