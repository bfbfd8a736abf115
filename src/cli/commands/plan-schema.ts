// `gongwei plan schema`: print (or write) the plan file's JSON Schema.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { planSchemaFile } from '../../plan/load.js';
import { toFile, writeOutput } from '../output.js';

export default async function planSchema(_args: string[], opts: { output?: string }): Promise<number> {
  writeOutput(readFileSync(planSchemaFile, 'utf8'), opts.output, { inputs: [planSchemaFile] });
  // The modeline path is resolved from the plan file's directory, not from where this command ran.
  if (toFile(opts.output)) process.stderr.write(`已写入 ${opts.output}。在计划文件第一行写：# yaml-language-server: $schema=<从计划文件所在目录到它的相对路径>（同一目录时写 ./${path.basename(opts.output)}）\n`);
  return 0;
}
