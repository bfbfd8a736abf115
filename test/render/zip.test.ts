// The DOCX writer's zip archive: read back by fflate and by Info-ZIP's unzip, names and bytes as given.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strToU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { crc32, zipFiles } from '../../src/render/zip.js';

describe('zipFiles', () => {
  it('crc32 is the standard CRC-32 (check value of "123456789")', () => {
    expect(crc32(strToU8('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it('an archive that fflate and unzip read back byte for byte, folders and a Chinese name included', () => {
    const big = strToU8('<w:p><w:r><w:t>工作总结</w:t></w:r></w:p>'.repeat(20_000));
    const files: Record<string, Uint8Array> = { 'word/': new Uint8Array(), 'word/document.xml': big, 'docProps/说明.txt': strToU8('公卫'), 'media/a.png': new Uint8Array([137, 80, 78, 71, 0, 255]) };
    const zip = zipFiles(files, new Date(2025, 11, 31, 23, 59, 58));
    expect(zip.length).toBeLessThan(big.length / 20); // deflated
    const back = unzipSync(zip);
    expect(Object.keys(back)).toEqual(Object.keys(files));
    for (const [name, data] of Object.entries(files)) expect(Buffer.from(back[name]!).equals(Buffer.from(data)), name).toBe(true);
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'gw-zip-')), 'a.zip');
    writeFileSync(file, zip);
    const t = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
    expect(t.status, t.stdout + t.stderr).toBe(0);
    expect(spawnSync('unzip', ['-l', file], { encoding: 'utf8' }).stdout).toContain('2025-12-31 23:59');
  });
});
