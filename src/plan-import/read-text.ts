// Plain text and Markdown plans: the encoding detected (UTF-8, GB18030/GBK, UTF-16 with BOM), one block per line; Markdown headings and tables recognised.
import { GongweiError } from '../errors.js';
import type { Block, SourceDoc } from './blocks.js';

/** Decode a text file: BOM first, then UTF-8 if it is valid, then GB18030 (which includes GBK and GB2312). */
export function decodeText(buf: Uint8Array, file: string): { text: string; encoding: string } {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(buf.subarray(3)), encoding: 'utf-8' };
  if (buf[0] === 0xff && buf[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(buf.subarray(2)), encoding: 'utf-16le' };
  if (buf[0] === 0xfe && buf[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(buf.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
  } catch {
    /* not UTF-8 */
  }
  try {
    return { text: new TextDecoder('gb18030', { fatal: true }).decode(buf), encoding: 'gb18030' };
  } catch {
    throw new GongweiError('PLAN_IMPORT_ENCODING', `无法识别文件的文字编码（既不是 UTF-8，也不是 GBK/GB18030）：${file}`, {
      hint: '请用记事本或 WPS 打开后“另存为”，编码选 UTF-8。',
    });
  }
}

/** Characters that are only layout: full-width spaces, no-break spaces, zero-width characters. */
const EDGE_SPACE = /^[\s\u3000\u00a0\u200b\u200c\u200d\ufeff]+|[\s\u3000\u00a0\u200b\u200c\u200d\ufeff]+$/g;

export function cleanLine(s: string): string {
  return s.replace(EDGE_SPACE, '');
}

const MD_TABLE_RULE = /^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$/;

/** Lines of a text file as blocks. With `markdown`, `#` headings carry their level, `|` rows make tables and `**`/`__` emphasis is dropped. */
export function textBlocks(text: string, markdown: boolean): Block[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const at = i + 1;
    let line = cleanLine(lines[i]!);
    if (!line) {
      blocks.push({ kind: 'blank', at });
      continue;
    }
    if (markdown) {
      if (line.startsWith('|')) {
        const rows: string[][] = [];
        let j = i;
        while (j < lines.length && cleanLine(lines[j]!).startsWith('|')) {
          const row = cleanLine(lines[j]!);
          if (!MD_TABLE_RULE.test(row)) rows.push(row.replace(/^\||\|$/g, '').split('|').map((c) => cleanLine(c)));
          j++;
        }
        blocks.push({ kind: 'table', rows, at });
        i = j - 1;
        continue;
      }
      line = line.replace(/\*\*(.+?)\*\*|__(.+?)__/g, '$1$2').replace(/^>\s*/, '');
      const h = /^(#{1,6})\s+(.*)$/.exec(line);
      if (h) {
        const body = cleanLine(h[2]!.replace(/\s+#+$/, ''));
        if (body) blocks.push({ kind: 'line', text: body, at, level: h[1]!.length });
        continue;
      }
    }
    blocks.push({ kind: 'line', text: line, at });
  }
  // One `#` heading at the top is the document's title; the `##` under it are the chapters.
  const headings = blocks.filter((b): b is Extract<Block, { kind: 'line' }> => b.kind === 'line' && b.level !== undefined);
  const first = blocks.find((b) => b.kind !== 'blank');
  if (first && first.kind === 'line' && first.level === 1 && headings.filter((h) => h.level === 1).length === 1) {
    first.level = undefined;
    first.title = true;
    for (const h of headings) if (h !== first) h.level! -= 1;
  }
  return blocks;
}

export function readText(buf: Uint8Array, file: string, markdown: boolean): SourceDoc {
  const { text, encoding } = decodeText(buf, file);
  return { file, format: markdown ? 'markdown' : 'text', unit: '行', encoding, blocks: textBlocks(text, markdown), notes: [] };
}
