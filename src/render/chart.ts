// Bar chart of indicators against targets: SVG for HTML; one small PNG bar per indicator for DOCX (no native deps).
import { deflateSync } from 'node:zlib';
import type { Block } from './document.js';

type Chart = Extract<Block, { type: 'chart' }>;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const FONT = "'FangSong','仿宋','Noto Serif CJK SC','Noto Sans CJK SC',serif";

export interface ChartGeometry {
  width: number;
  height: number;
  rows: { y: number; label: string; value: number | null; target: number | null; w: number; tx: number | null; met: boolean | null }[];
  x0: number;
  plotW: number;
  max: number;
}

/** Layout shared by the SVG and PNG renderings: one horizontal bar per indicator, a target mark on each. */
export function chartGeometry(c: Chart, width = 620): ChartGeometry {
  const rowH = 26;
  const top = c.title ? 34 : 10;
  const x0 = 210;
  const plotW = width - x0 - 110;
  const values = c.items.flatMap((i) => [i.value ?? 0, i.target ?? 0]);
  const max = Math.max(100, ...values);
  const rows = c.items.map((it, i) => {
    const y = top + i * rowH;
    const w = it.value === null ? 0 : Math.max(1, (it.value / max) * plotW);
    const tx = it.target === null || it.target === undefined ? null : x0 + (it.target / max) * plotW;
    const met = it.value === null || it.target === null || it.target === undefined ? null : metOf(it.value, it.target, it.met);
    return { y, label: it.label, value: it.value, target: it.target ?? null, w, tx, met };
  });
  return { width, height: top + rows.length * rowH + 24, rows, x0, plotW, max };
}

/** Met or not: the status the summary gives (lower-is-better targets such as 脱漏率 are met below the mark), else value ≥ target. */
export const metOf = (value: number, target: number, met?: boolean | null): boolean => (typeof met === 'boolean' ? met : value >= target);

/** 达标 / 未达标 / — for one bar, in words (a page printed in black and white loses the colours). */
export const chartResult = (it: { value: number | null; target?: number | null; met?: boolean | null }): string =>
  it.value === null || it.target === null || it.target === undefined ? '—' : metOf(it.value, it.target, it.met) ? '达标' : '未达标';

const COLOURS = { met: '#3b7d3b', unmet: '#c0392b', none: '#8a8a8a', target: '#1f1f1f' };

export function chartSvg(c: Chart, width = 620): string {
  const g = chartGeometry(c, width);
  const unit = c.unit ?? '%';
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${g.width}" height="${g.height}" viewBox="0 0 ${g.width} ${g.height}" font-family="${FONT}" font-size="13">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
  ];
  if (c.title) parts.push(`<text x="${g.width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${esc(c.title)}</text>`);
  for (const r of g.rows) {
    parts.push(`<text x="${g.x0 - 8}" y="${r.y + 16}" text-anchor="end">${esc(r.label)}</text>`);
    parts.push(`<rect x="${g.x0}" y="${r.y + 4}" width="${r.w.toFixed(1)}" height="16" fill="${r.met === null ? COLOURS.none : r.met ? COLOURS.met : COLOURS.unmet}"/>`);
    if (r.tx !== null) parts.push(`<line x1="${r.tx.toFixed(1)}" x2="${r.tx.toFixed(1)}" y1="${r.y + 1}" y2="${r.y + 23}" stroke="${COLOURS.target}" stroke-width="2"/>`);
    // The value after the bar or after the target mark, whichever is further right (never crossed by the mark); the result in words for black-and-white print.
    const lx = Math.max(g.x0 + r.w, r.tx ?? 0) + 6;
    const result = r.met === null ? '' : r.met ? ' 达标' : ' 未达标';
    parts.push(`<text x="${lx.toFixed(1)}" y="${r.y + 16}">${r.value === null ? '无数据' : `${r.value.toFixed(1)}${esc(unit)}${result}`}</text>`);
  }
  const ly = g.height - 8;
  parts.push(`<rect x="${g.x0}" y="${ly - 10}" width="12" height="10" fill="${COLOURS.met}"/><text x="${g.x0 + 16}" y="${ly}" font-size="11">达标</text>`);
  parts.push(`<rect x="${g.x0 + 56}" y="${ly - 10}" width="12" height="10" fill="${COLOURS.unmet}"/><text x="${g.x0 + 72}" y="${ly}" font-size="11">未达标</text>`);
  parts.push(`<line x1="${g.x0 + 124}" x2="${g.x0 + 124}" y1="${ly - 11}" y2="${ly + 1}" stroke="${COLOURS.target}" stroke-width="2"/><text x="${g.x0 + 130}" y="${ly}" font-size="11">目标</text>`);
  parts.push('</svg>');
  return parts.join('');
}

const CRC = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** One indicator's bar as a small PNG (coloured by status, a black target mark), drawn without native deps: DOCX builds its chart from these. */
export function barPng(value: number | null, target: number | null | undefined, max: number, W = 300, H = 18, status?: boolean | null): Buffer {
  const px = Buffer.alloc(H * (W * 3 + 1), 0xff);
  for (let y = 0; y < H; y++) px[y * (W * 3 + 1)] = 0; // filter byte of each scanline
  const rect = (x: number, y: number, w: number, h: number, colour: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
    for (let yy = Math.max(0, Math.round(y)); yy < Math.min(H, Math.round(y + h)); yy++) {
      for (let xx = Math.max(0, Math.round(x)); xx < Math.min(W, Math.round(x + w)); xx++) {
        const o = yy * (W * 3 + 1) + 1 + xx * 3;
        px[o] = r!;
        px[o + 1] = g!;
        px[o + 2] = b!;
      }
    }
  };
  const hasTarget = target !== null && target !== undefined;
  const met = value === null || !hasTarget ? null : metOf(value, target, status);
  if (value !== null) rect(0, 3, Math.max(1, (value / max) * (W - 4)), H - 6, met === null ? COLOURS.none : met ? COLOURS.met : COLOURS.unmet);
  if (hasTarget) rect((target / max) * (W - 4), 0, 2, H, COLOURS.target);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(W, 0);
  ihdr.writeUInt32BE(H, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(px)), chunk('IEND', Buffer.alloc(0))]);
}
