// Chinese help headings and Chinese messages for commander's own usage errors (exit 2).
import { Command, CommanderError, Help } from 'commander';

const headings: [RegExp, string][] = [
  [/^Usage:/m, '用法：'],
  [/^Options:/m, '选项：'],
  [/^Commands:/m, '命令：'],
  [/^Arguments:/m, '参数：'],
  [/^Global Options:/m, '全局选项：'],
];

/** Apply Chinese help headings to a command and (via copyInheritedSettings) its subcommands. */
export function chineseHelp(cmd: Command): Command {
  cmd
    .configureHelp({
      formatHelp(c: Command, helper: Help) {
        let text = Help.prototype.formatHelp.call(helper, c, helper);
        for (const [re, zh] of headings) text = text.replace(re, zh);
        return text
          .replace(/\(default: /g, '(默认：')
          .replace(/\(choices: /g, '(可选：')
          .replace(/, default: /g, '，默认：')
          .replace(/\[options\]/g, '[选项]')
          .replace(/\[command\]/g, '[命令]');
      },
    })
    .helpOption('-h, --help', '显示帮助')
    .exitOverride()
    .configureOutput({
      writeErr: () => {},
      outputError: () => {},
    })
    .showHelpAfterError(false);
  return cmd;
}

/** Print commander's error in Chinese and return the exit code. */
export function translateCommanderError(e: CommanderError): number {
  if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') {
    return 0;
  }
  const m = e.message;
  let zh: string;
  switch (e.code) {
    case 'commander.unknownOption':
      zh = `未知选项：${m.match(/'([^']+)'/)?.[1] ?? m}`;
      break;
    case 'commander.unknownCommand':
      zh = `未知命令：${m.match(/'([^']+)'/)?.[1] ?? m}`;
      break;
    case 'commander.missingArgument':
      zh = `缺少参数：${m.match(/'([^']+)'/)?.[1] ?? m}`;
      break;
    case 'commander.optionMissingArgument':
      zh = `选项缺少取值：${m.match(/'([^']+)'/)?.[1] ?? m}`;
      break;
    case 'commander.missingMandatoryOptionValue':
      zh = `缺少必需的选项：${m.match(/'([^']+)'/)?.[1] ?? m}`;
      break;
    case 'commander.invalidArgument':
      zh = `参数取值无效：${m.replace(/^error: /, '')}`;
      break;
    case 'commander.excessArguments':
      zh = '参数过多';
      break;
    default:
      zh = m.replace(/^error: /, '');
  }
  process.stderr.write(`错误 [USAGE]：${zh}\n提示：用 --help 查看用法。\n`);
  return 2;
}
