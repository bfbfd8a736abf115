// Chinese help headings and Chinese messages for commander's own usage errors (exit 2).
import { Command, CommanderError, Help } from 'commander';

const headings: [RegExp, string][] = [
  [/^Usage:/m, '用法：'],
  [/^Options:/m, '选项：'],
  [/^Commands:/m, '命令：'],
  [/^Arguments:/m, '参数：'],
  [/^Global Options:/m, '全局选项：'],
];

const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/g;

/** Apply Chinese help headings to a command and (via copyInheritedSettings) its subcommands. */
export function chineseHelp(cmd: Command): Command {
  cmd
    .configureHelp({
      // Choices and defaults in Chinese before commander wraps the line (the English '(default: …)' would wrap mid-phrase).
      optionDescription(option) {
        const extra: string[] = [];
        if (option.argChoices) extra.push(`可选：${option.argChoices.join('、')}`);
        if (option.defaultValue !== undefined && !option.negate) {
          const dv = option.defaultValue as unknown;
          extra.push(`默认：${option.defaultValueDescription ?? (typeof dv === 'string' ? dv : JSON.stringify(dv))}`);
        }
        return extra.length ? `${option.description}（${extra.join('；')}）` : option.description;
      },
      // Chinese characters take two terminal columns: align descriptions by what the eye sees.
      displayWidth(str: string) {
        const plain = str.replace(/\x1b\[[0-9;]*m/g, '');
        return plain.length + (plain.match(WIDE) ?? []).length;
      },
      formatHelp(c: Command, helper: Help) {
        let text = Help.prototype.formatHelp.call(helper, c, helper);
        for (const [re, zh] of headings) text = text.replace(re, zh);
        return text
          .replace(/\(default: /g, '(默认：')
          .replace(/\(choices: /g, '(可选：')
          .replace(/, default: /g, '，默认：')
          .replace(/\[options\]/g, '[选项]')
          .replace(/\[command\]/g, '[命令]')
          .replace(/\n*$/, '\n');
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
    case 'commander.invalidArgument': {
      const choice = /option '([^']+)' argument '([^']*)' is invalid\. Allowed choices are (.+)\.$/.exec(m);
      const flag = choice?.[1]?.split(/[ ,]+/).find((f) => f.startsWith('--')) ?? choice?.[1];
      zh = choice ? `选项 ${flag} 的取值「${choice[2]}」无效，可选：${choice[3]!.split(', ').join('、')}` : `参数取值无效：${m.replace(/^error: /, '')}`;
      break;
    }
    case 'commander.excessArguments':
      zh = '参数过多';
      break;
    default:
      zh = m.replace(/^error: /, '');
  }
  process.stderr.write(`错误 [USAGE]：${zh}\n提示：用 --help 查看用法。\n`);
  return 2;
}
