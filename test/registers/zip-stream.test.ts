// The zip reader's streaming: inflated in large pieces on the thread pool, handed out in pieces no larger than asked
// (the sheet reader decodes 32 KB at a time), every byte in order, the checksum checked.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ZipFile } from '../../src/registers/xlsx/zip.js';

describe('ZipFile.stream', () => {
  it('gives an entry of several MB in pieces of at most chunkSize, the same bytes; a flipped byte is refused', async () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'gongwei-zip-'));
    // Compressible (repeated rows) with some noise, about 3 MB inflated.
    const rows: string[] = [];
    for (let i = 0; i < 30000; i++) rows.push(`<row r="${i}"><c><v>${i}</v></c><c t="inlineStr"><is><t>青石村${randomBytes(8).toString('hex')}</t></is></c></row>`);
    const content = Buffer.from(rows.join(''));
    const f = path.join(d, 'a.zip');
    writeFileSync(f, zipSync({ 'sheet.xml': content }, { level: 6 }));
    const zip = await ZipFile.open(f, 1 << 30);
    const entry = zip.get('sheet.xml')!;
    for (const chunkSize of [1 << 15, 1 << 16, 1000]) {
      const pieces: Uint8Array[] = [];
      for await (const cs of zip.stream(entry, chunkSize)) pieces.push(...cs.map((c) => Uint8Array.from(c)));
      expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(chunkSize);
      expect(Buffer.concat(pieces).equals(content)).toBe(true);
    }
    // The same entry with one inflated byte changed: the CRC-32 no longer matches.
    const other = Buffer.from(content);
    other[100] = other[100]! ^ 1;
    const bad = zipSync({ 'sheet.xml': other }, { level: 6 });
    const good = zipSync({ 'sheet.xml': content }, { level: 6 });
    const crcAt = (z: Uint8Array): number => Buffer.from(z).indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 16;
    Buffer.from(good).copy(Buffer.from(bad.buffer, bad.byteOffset, bad.length), crcAt(bad), crcAt(good), crcAt(good) + 4);
    const g = path.join(d, 'b.zip');
    writeFileSync(g, bad);
    const zb = await ZipFile.open(g, 1 << 30);
    await expect((async () => {
      for await (const _ of zb.stream(zb.get('sheet.xml')!, 1 << 15)) void _;
    })()).rejects.toMatchObject({ code: 'REG_XLSX_CORRUPT' });
  });
});
