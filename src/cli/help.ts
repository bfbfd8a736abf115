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

/** Columns a string takes on a terminal: Chinese characters and full-width punctuation take two. */
export function displayWidth(str: string): number {
  const plain = str.replace(/\x1b\[[0-9;]*m/g, '');
  return plain.length + (plain.match(WIDE) ?? []).length;
}

// Wrapping units: a run of Latin text, or one Chinese character; opening brackets stay with what follows,
// closing punctuation with what precedes (no line starts with '，' or ends with '（').
const CLOSE = '，。；、：！？）」』》】”’';
const OPEN = '（「『《【“‘';
const CHUNK = new RegExp(`\\s*[${OPEN}]*(?:[^\\s\\u2e80-\\uffff]+|[\\u2e80-\\uffff])[${CLOSE}]*`, 'gu');

/** Wrap text to `width` columns by display width, breaking between Chinese characters as well as at spaces. */
export function wrapByWidth(str: string, width: number): string {
  const out: string[] = [];
  for (const line of str.split(/\r?\n/)) {
    const chunks = line.match(CHUNK);
    if (!chunks) {
      out.push('');
      continue;
    }
    let cur = chunks.shift()!;
    for (const chunk of chunks) {
      if (displayWidth(cur) + displayWidth(chunk) <= width) cur += chunk;
      else {
        out.push(cur);
        cur = chunk.trimStart();
      }
    }
    out.push(cur);
  }
  return out.join('\n');
}

const zhTerm = (s: string) => s.replace(/\[options\]/g, '[选项]').replace(/\[command\]/g, '[命令]');

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
        const text = extra.length ? `${option.description}（${extra.join('；')}）` : option.description;
        return option.mandatory ? `（必填）${text}` : text;
      },
      // Chinese characters take two terminal columns: align and wrap descriptions by what the eye sees.
      displayWidth,
      boxWrap(str: string, width: number) {
        return width < 40 ? str : wrapByWidth(str, width);
      },
      // Translated before commander pads the terms, so the columns stay aligned.
      subcommandTerm(c: Command) {
        return zhTerm(Help.prototype.subcommandTerm.call(this, c));
      },
      commandUsage(c: Command) {
        return zhTerm(Help.prototype.commandUsage.call(this, c));
      },
      formatHelp(c: Command, helper: Help) {
        let text = Help.prototype.formatHelp.call(helper, c, helper);
        for (const [re, zh] of headings) text = text.replace(re, zh);
        return text
          .replace(/\(default: /g, '(默认：')
          .replace(/\(choices: /g, '(可选：')
          .replace(/, default: /g, '，默认：')
          .replace(/\n*$/, '\n');
      },
    })
    .helpOption('-h, --help', '显示帮助')
    .exitOverride()
    .configureOutput({
      // Help shown because a subcommand is missing goes to stderr; commander's English error lines do not (see translateCommanderError).
      writeErr: (str) => process.stderr.write(str),
      outputError: () => {},
    })
    .showHelpAfterError(false);
  return cmd;
}

/** Print commander's error in Chinese and return the exit code. */
export function translateCommanderError(e: CommanderError): number {
  if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
  if (e.code === 'commander.help') {
    // `gongwei help` asked for it (exit 0); a group run without its subcommand printed its help to stderr: a usage error.
    if (e.exitCode === 0) return 0;
    process.stderr.write('错误 [USAGE]：缺少命令，请从上面的列表中选一个\n');
    return 2;
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
