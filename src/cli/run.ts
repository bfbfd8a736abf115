// Glue between commander and command modules: lazy import, exit code from the command's return value.
import type { Command } from 'commander';
import { chineseHelp } from './help.js';

/** A command module's default export: gets the positional args and options, returns the exit code. */
export type CommandMain<O = Record<string, unknown>> = (args: string[], options: O, cmd: Command) => Promise<number> | number;

/** Action that imports `./commands/<name>.js` only when the command runs (keeps start-up fast). */
export function lazy(name: string) {
  return async (...raw: unknown[]) => {
    const cmd = raw[raw.length - 1] as Command;
    const options = cmd.opts();
    const args = cmd.args;
    const mod = (await import(`./commands/${name}.js`)) as { default: CommandMain };
    const code = await mod.default(args, { ...cmd.optsWithGlobals(), ...options }, cmd);
    if (code) process.exitCode = code;
  };
}

/** A subcommand with Chinese help and exit-code handling inherited. */
export function sub(parent: Command, nameAndArgs: string, description: string): Command {
  return chineseHelp(parent.command(nameAndArgs).description(description));
}
