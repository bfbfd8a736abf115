// `gongwei plan schema`: print (or write) the plan file's JSON Schema.
import { readFileSync } from 'node:fs';
import { planSchemaFile } from '../../plan/load.js';
import { writeOutput } from '../output.js';

export default async function planSchema(_args: string[], opts: { output?: string }): Promise<number> {
  writeOutput(readFileSync(planSchemaFile, 'utf8'), opts.output);
  if (opts.output) process.stderr.write(`已写入 ${opts.output}。在计划文件第一行写：# yaml-language-server: $schema=${opts.output}\n`);
  return 0;
}
