// The gongwei command line: commander program, lazy command imports, the only top-level catch.
import { Command, CommanderError, Help } from 'commander';
import { version } from '../version.js';
import { GongweiError } from '../errors.js';
import { storageReason } from '../storage-errors.js';
import { registerPlan } from './groups/plan.js';
import { registerRegisters } from './groups/registers.js';
import { registerIndicators } from './groups/indicators.js';
import { chineseHelp, translateCommanderError } from './help.js';

// A reader that stops early (`gongwei … | head`) closes the pipe: stop quietly, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const program = new Command('gongwei');
program
  .description('公卫：年度工作计划校验与生成、登记表导入、公共卫生指标计算')
  .version(version, '-V, --version', '显示版本号')
  .option('--debug', '出错时显示详细堆栈（供开发者排查）')
  .helpCommand('help [命令]', '显示某个命令的帮助');
chineseHelp(program);

registerPlan(program);
registerRegisters(program);
registerIndicators(program);

function fail(e: unknown): number {
  const debug = process.argv.includes('--debug');
  if (e instanceof GongweiError) {
    process.stderr.write(`错误 [${e.code}]：${e.message}\n`);
    if (e.hint) process.stderr.write(`提示：${e.hint}\n`);
    if (debug && e.cause) process.stderr.write(`${(e.cause as Error)?.stack ?? String(e.cause)}\n`);
    return e.exitCode;
  }
  // The machine, not the program: a full disk, an I/O error, a damaged database met where no file was named.
  const storage = storageReason(e);
  if (storage) {
    process.stderr.write(`错误 [${storage.code}]：${storage.words}\n`);
    if (storage.hint) process.stderr.write(`提示：${storage.hint}\n`);
    if (debug) process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
    return 2;
  }
  const err = e as Error;
  process.stderr.write(`错误 [INTERNAL]：程序内部错误：${err?.message ?? String(e)}\n`);
  if (debug) process.stderr.write(`${err?.stack ?? ''}\n`);
  else process.stderr.write('提示：加 --debug 可查看详细信息，并请把它报告给开发者。\n');
  return 2;
}

/** `gongwei help xyz`: commander would only show the overall help; say what was not found, as a usage error. */
function unknownHelpTopic(argv: string[]): string | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  if (words[0] !== 'help' || words.length < 2) return undefined;
  let cmd: Command = program;
  for (const w of words.slice(1)) {
    const next = cmd.commands.find((c) => c.name() === w || c.aliases().includes(w));
    if (!next) return w;
    cmd = next;
  }
  return undefined;
}

try {
  const unknown = unknownHelpTopic(process.argv.slice(2));
  if (unknown !== undefined) {
    process.stderr.write(program.helpInformation());
    process.stderr.write(`错误 [USAGE]：没有这个命令：${unknown}\n提示：上面列出了全部命令；用 gongwei <命令> --help 查看某个命令的用法。\n`);
    process.exitCode = 2;
  } else await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = translateCommanderError(e);
  } else {
    process.exitCode = fail(e);
  }
}

// Keep Help imported for type users of chineseHelp.
export type { Help };
