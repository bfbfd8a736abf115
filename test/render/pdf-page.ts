// The words of a PDF page with their positions (pdftotext -bbox), and the check that the 版记 sits at the foot of the
// last page (GB/T 9704 §7.4).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect } from 'vitest';

/** Words of one PDF page with their box (points from the top), from pdftotext -bbox. */
export function pageWords(pdf: string, page: number): Array<{ text: string; top: number; bottom: number }> {
  const r = spawnSync('pdftotext', ['-f', String(page), '-l', String(page), '-bbox', pdf, '-'], { encoding: 'utf8' });
  return [...r.stdout.matchAll(/<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({ text: m[3]!, top: Number(m[1]), bottom: Number(m[2]) }));
}

/**
 * GB/T 9704: the 版记 at the foot of the last page — its last line (…印发) on the last line of the text block (A4, 35 mm
 * bottom margin: 742.7 pt from the top), 抄送 above it, and every other line of the page above the 版记.
 */
export function expectImprintAtFoot(pdf: string): void {
  const pages = Number(/Pages:\s+(\d+)/.exec(spawnSync('pdfinfo', [pdf], { encoding: 'utf8' }).stdout)?.[1]);
  const words = pageWords(pdf, pages);
  const issued = words.find((w) => w.text.endsWith('印发'));
  expect(issued, `${path.basename(pdf)}：最后一页没有“印发”`).toBeDefined();
  const blockBottom = 842 - 35 * (72 / 25.4);
  expect(issued!.bottom).toBeLessThanOrEqual(blockBottom + 1);
  expect(issued!.bottom, `${path.basename(pdf)}：版记不在页面底部`).toBeGreaterThan(blockBottom - 15);
  const first = words.find((w) => w.text.startsWith('抄送')) ?? issued!;
  // Below the top of the 版记 and above the page number: the 版记 alone; above it: text that ends before it starts.
  const foot = words.filter((w) => w.top >= first.top - 1 && w.bottom <= blockBottom + 1).map((w) => w.text).join('');
  expect(foot).toMatch(/^(抄送：.*)?.+印发$/);
  for (const w of words.filter((x) => x.top < first.top - 1)) expect(w.bottom, `「${w.text}」与版记重叠`).toBeLessThanOrEqual(first.top + 1);
}

