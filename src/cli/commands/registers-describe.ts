// `gongwei registers describe <register>`: columns, Chinese headers and aliases, types, natural key (every register a partial name matches).
import type { CommandMain } from '../run.js';
import { GongweiError } from '../../errors.js';
import type { RegisterDef } from '../../catalog/registers.js';

/** Display width of text in a terminal (CJK and full-width characters take two cells). */
function width(s: string): number {
  let n = 0;
  for (const ch of s) n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return n;
}

/** A list joined with `sep` and broken into lines no wider than `max` (never cut inside an item). */
function wrapList(items: string[], max: number, sep = '、'): string {
  const lines: string[] = [];
  let line = '';
  for (const it of items) {
    const next = line ? `${line}${sep}${it}` : it;
    if (line && width(next) > max) {
      lines.push(`${line}${sep}`);
      line = it;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

async function describeText(reg: RegisterDef, columns: number | undefined): Promise<string> {
  const Table = (await import('cli-table3')).default;
  // On a terminal the aliases and values wrap to its width; piped or redirected, nothing is wrapped or cut.
  const fixed = 24 + 16 + 12 + 6 + 3 * 7;
  const room = columns ? Math.max(20, Math.floor((columns - fixed) * 0.6)) : Infinity;
  const valueRoom = columns ? Math.max(12, columns - fixed - room) : Infinity;
  const t = new Table({ head: ['列', '中文表头', '其他写法', '类型', '必填', '取值'], style: { head: [], border: [] } });
  for (const c of reg.columns) {
    t.push([
      `${c.name}${reg.naturalKey.includes(c.name) ? '（键）' : ''}`, c.derived ? `（由${reg.columns.find((x) => x.rawColumn === c.name)?.header ?? '其他列'}得出）` : c.header,
      wrapList(c.aliases ?? [], room), c.type, c.required ? '是' : '', wrapList(c.values ?? [], valueRoom, '/'),
    ]);
  }
  for (const cb of reg.combined ?? []) t.push([`（${cb.into.join(' + ')}）`, cb.header, wrapList(cb.aliases ?? [], room), '血压 135/85', '', '']);
  const lines = [`${reg.name}（${reg.id}）`, reg.description, `自然键：${reg.naturalKey.join(' + ')}`, t.toString()];
  if (reg.source) lines.push(`依据：${reg.source}`);
  return lines.join('\n');
}

const main: CommandMain<{ format: 'text' | 'json' }> = async ([name], o) => {
  const { findRegisters, loadRegisterCatalog } = await import('../../catalog/registers.js');
  const regs = findRegisters(name!);
  if (!regs.length) {
    throw new GongweiError('REG_REGISTER_NOT_FOUND', `没有这个登记表：${name}`, { hint: `可用：${loadRegisterCatalog().map((r) => `${r.id}（${r.name}）`).join('、')}` });
  }
  if (o.format === 'json') {
    const plain = regs.map(({ file: _f, ...rest }) => rest);
    process.stdout.write(`${JSON.stringify(plain.length === 1 ? plain[0] : plain, null, 2)}\n`);
    return 0;
  }
  const columns = process.stdout.isTTY ? process.stdout.columns : undefined;
  const blocks = [];
  for (const reg of regs) blocks.push(await describeText(reg, columns));
  if (regs.length > 1) blocks.unshift(`“${name}”对应 ${regs.length} 个登记表：${regs.map((r) => `${r.name}（${r.id}）`).join('、')}`);
  process.stdout.write(`${blocks.join('\n\n')}\n`);
  return 0;
};
export default main;
