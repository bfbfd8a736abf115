// An xlsx's shared strings without holding them all as strings: the part is inflated once into a byte store (memory
// when small, a temporary file when large) while the byte offset of every <si> is noted (4 bytes a string); a string is
// decoded when a cell asks for it, and a cache keeps the strings that are asked for again (a village, a date, a doctor).
import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import os from 'node:os';
import path from 'node:path';
import { GongweiError, fsError } from '../../errors.js';
import { corrupt, type ZipEntry, type ZipFile } from './zip.js';
import { runsText } from './xml.js';

/** The shared strings a sheet's `t="s"` cells refer to by index. */
export interface SharedStrings {
  readonly count: number;
  /** Some shared string holds U+FFFD (bytes that are not UTF-8, or the character itself). */
  readonly bad: boolean;
  /** The string at index `i` as the part means it; undefined out of range (or not an integer). */
  get(i: number): string | undefined;
  /** Frees the store (its temporary file, if any). */
  close(): void;
}

/** Shared strings given as a list (none in a workbook without the part; tests). */
export function sharedStringsOf(list: string[]): SharedStrings {
  return { count: list.length, bad: list.some((s) => s.indexOf('\uFFFD') >= 0), get: (i) => list[i], close: () => {} };
}

/** The text of each <si> is the same as reading the whole part with this expression (the eager reading it replaced). */
const SI_RE = /<(?:[\w.-]+:)?si\b(?:[^>]*?\/>|[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?si>)/g;

/**
 * Decoded strings cached, direct-mapped by index. A string asked for again keeps its slot against the next string that
 * would take it (so the IDs and names used once do not push out the villages and dates used on every row).
 */
const SLOTS = 1 << 16;
/** Longer strings are decoded each time: the cache holds at most SLOTS × CACHED_CHARS characters (32 MB). */
const CACHED_CHARS = 256;
/** Offsets per page of the index. */
const PAGE_SHIFT = 16;
const PAGE = 1 << PAGE_SHIFT;
/** Bytes read from the temporary file at once: the next new strings are usually right after. */
const WINDOW = 1 << 14;
/**
 * The part's first bytes kept in memory, the rest in a temporary file (GONGWEI_SST_MEMORY_BYTES overrides, for tests).
 * Strings are numbered in order of first use, so the values that repeat (villages, dates, names) mostly come first: the
 * later bytes are read mostly in order, a window at a time.
 */
const MEMORY_BYTES = 8 * 2 ** 20;

interface ByteStore {
  write(chunk: Uint8Array): void;
  read(start: number, end: number): Buffer;
  close(): void;
}

class MemoryStore implements ByteStore {
  private buf: Buffer;
  private used = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }
  write(chunk: Uint8Array): void {
    if (this.used + chunk.length > this.buf.length) {
      // More than the zip directory said (the zip reader refuses the part at its end): keep going until then.
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + chunk.length));
      this.buf.copy(bigger, 0, 0, this.used);
      this.buf = bigger;
    }
    this.buf.set(chunk, this.used);
    this.used += chunk.length;
  }
  read(start: number, end: number): Buffer {
    return this.buf.subarray(start, end);
  }
  close(): void {
    this.buf = Buffer.alloc(0);
  }
}

/** The first `memory` bytes in memory, the rest (if any) in a temporary file. */
class SplitStore implements ByteStore {
  private head: MemoryStore;
  private rest?: FileStore;
  private written = 0;
  constructor(private readonly memory: number, size: number) {
    this.head = new MemoryStore(Math.min(size, memory));
  }
  write(chunk: Uint8Array): void {
    const inHead = Math.max(0, Math.min(chunk.length, this.memory - this.written));
    if (inHead) this.head.write(inHead === chunk.length ? chunk : chunk.subarray(0, inHead));
    if (inHead < chunk.length) (this.rest ??= new FileStore()).write(chunk.subarray(inHead));
    this.written += chunk.length;
  }
  read(start: number, end: number): Buffer {
    const m = this.memory;
    if (end <= m) return this.head.read(start, end);
    if (start >= m) return this.rest!.read(start - m, end - m);
    return Buffer.concat([this.head.read(start, m), this.rest!.read(0, end - m)]);
  }
  close(): void {
    this.head.close();
    this.rest?.close();
  }
}

/**
 * The part in a temporary file, removed from its directory as soon as it is open where the system allows it. The strings
 * used for the first time are read a window at a time, the others (used again, after the cache let them go) alone.
 */
class FileStore implements ByteStore {
  private fd: number;
  private dir: string;
  private removed = false;
  private written = 0;
  constructor() {
    this.dir = tempFailure(() => mkdtempSync(path.join(os.tmpdir(), 'gongwei-sst-')));
    const file = path.join(this.dir, 'sharedStrings.xml');
    this.fd = tempFailure(() => openSync(file, 'w+'));
    try {
      unlinkSync(file);
      rmSync(this.dir, { recursive: true, force: true });
      this.removed = true;
    } catch {
      // Windows may refuse while the file is open: removed on close, or when the process exits.
      process.once('exit', () => this.close());
    }
  }
  /** Each inflated chunk written as it comes (copying them into larger writes kept twice the part in garbage). */
  write(chunk: Uint8Array): void {
    tempFailure(() => {
      for (let off = 0; off < chunk.length; ) off += writeSync(this.fd, chunk, off, chunk.length - off, this.written + off);
    });
    this.written += chunk.length;
  }
  private window: Buffer = Buffer.alloc(0);
  private windowStart = 0;
  read(start: number, end: number): Buffer {
    const w = this.windowStart;
    if (start >= w && end <= w + this.window.length) return this.window.subarray(start - w, end - w);
    // Just past the window: the strings used for the first time, read a window ahead; anything else read alone.
    const ahead = start >= w + this.window.length && start < w + this.window.length + WINDOW;
    const out = Buffer.allocUnsafe((ahead ? Math.max(end, Math.min(start + WINDOW, this.written)) : end) - start);
    tempFailure(() => readFully(this.fd, out, start));
    if (!ahead) return out;
    this.window = out;
    this.windowStart = start;
    return out.subarray(0, end - start);
  }
  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
    if (!this.removed) rmSync(this.dir, { recursive: true, force: true });
    this.removed = true;
  }
}

/** A failure of the temporary file (a full disk, no permission …) in Chinese, naming the temporary folder. */
function tempFailure<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw fsError(e, `共享字符串的临时文件（临时文件夹 ${os.tmpdir()}）`);
  }
}

function readFully(fd: number, into: Buffer, at: number): void {
  for (let off = 0; off < into.length; ) {
    const n = readSync(fd, into, off, into.length - off, at + off);
    if (n <= 0) throw new GongweiError('DISK_IO_ERROR', `磁盘读写错误：共享字符串的临时文件读取不完整（临时文件夹 ${os.tmpdir()}）`);
    off += n;
  }
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const COLON = 0x3a;

function isWord(b: number): boolean {
  return (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 95;
}
/** [\w.-] */
function isNameByte(b: number): boolean {
  return isWord(b) || b === 46 || b === 45;
}

const NEED_MORE = -2;
const NO = -1;

/** After `at` (just past '<' or '</'): an optional `prefix:`; the position after it (`at` when there is none). */
function afterPrefix(buf: Buffer, at: number): number {
  let e = at;
  while (e < buf.length && isNameByte(buf[e]!)) e++;
  if (e === buf.length) return NEED_MORE;
  return buf[e] === COLON && e > at ? e + 1 : at;
}

/** The end of an `si` start tag's name at `q` ('<'), as SI_RE reads it; NO when there is none, NEED_MORE at the end of `buf`. */
function openName(buf: Buffer, q: number): number {
  const p = afterPrefix(buf, q + 1);
  if (p === NEED_MORE) return NEED_MORE;
  const tries = p === q + 1 ? [p] : [p, q + 1];
  for (const s of tries) {
    if (s + 2 >= buf.length) return NEED_MORE;
    if (buf[s] === 0x73 && buf[s + 1] === 0x69 && !isWord(buf[s + 2]!)) return s + 2;
  }
  return NO;
}

/** The end of the first `</(prefix:)?si>` at or after `from`; NO when there is none in `buf`, or NEED_MORE with `wait` set to where it may begin. */
function closeTag(buf: Buffer, from: number, wait: { at: number }): number {
  for (let k = buf.indexOf('</', from); k >= 0; k = buf.indexOf('</', k + 1)) {
    const p = afterPrefix(buf, k + 2);
    if (p === NEED_MORE || p + 3 > buf.length) {
      wait.at = k;
      return NEED_MORE;
    }
    if (buf[p] === 0x73 && buf[p + 1] === 0x69 && buf[p + 2] === GT) return p + 3;
  }
  wait.at = Math.max(from, buf.length - 1);
  return NO;
}

/** Finds where every <si> element begins as the part is inflated, chunk by chunk. */
class SiIndex {
  /**
   * Byte offset of each string's element, in pages of PAGE (never copied as they grow); a string's bytes end before the
   * next one's element (or at the part's end). 4 bytes a string while the offsets fit.
   */
  private pages: (Uint32Array | Float64Array)[] = [];
  private wide: boolean;
  count = 0;
  constructor(size: number) {
    this.wide = size >= 2 ** 32;
  }

  start(i: number): number {
    return this.pages[i >>> PAGE_SHIFT]![i & (PAGE - 1)]!;
  }

  /** Bytes kept from the previous chunk and their position in the part. */
  private tail: Buffer = Buffer.alloc(0);
  private base = 0;
  /** Inside an element: where its start tag began, and where to look for its end tag. */
  private open = -1;
  private searchFrom = 0;
  private last: Buffer = Buffer.alloc(0);

  feed(chunk: Uint8Array, final: boolean): void {
    if (chunk.length) this.last = Buffer.from(Buffer.concat([this.last, chunk]).subarray(-64));
    const buf = this.tail.length ? Buffer.concat([this.tail, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const base = this.base;
    let keep = buf.length;
    let pos = this.open >= 0 ? this.searchFrom - base : 0;
    for (;;) {
      if (this.open < 0) {
        const q = buf.indexOf(LT, pos);
        if (q < 0) break;
        const t = openName(buf, q);
        if (t === NO) {
          pos = q + 1;
          continue;
        }
        const g = t === NEED_MORE ? -1 : buf.indexOf(GT, t);
        if (g < 0) {
          keep = q;
          break;
        }
        if (buf[g - 1] === SLASH && g - 1 >= t) {
          this.add(base + q);
          pos = g + 1;
          continue;
        }
        this.open = base + q;
        pos = g + 1;
      }
      const wait = { at: 0 };
      const end = closeTag(buf, pos, wait);
      if (end < 0) {
        // Keep little of a long string: only where its end tag may begin.
        keep = Math.min(wait.at, Math.max(pos, buf.length - 256));
        this.searchFrom = base + keep;
        break;
      }
      this.add(this.open);
      this.open = -1;
      pos = end;
    }
    this.tail = keep < buf.length ? Buffer.from(buf.subarray(keep)) : Buffer.alloc(0);
    this.base = base + keep;
    if (final && (this.open >= 0 || this.tail.length > 0 && openName(this.tail, 0) !== NO)) throw new TruncatedPart();
  }

  private add(start: number): void {
    const p = this.count >>> PAGE_SHIFT;
    if (p === this.pages.length) this.pages.push(this.wide ? new Float64Array(PAGE) : new Uint32Array(PAGE));
    this.pages[p]![this.count & (PAGE - 1)] = start;
    this.count++;
  }

  /** The part ends with the root element's end tag (`</sst>`), nothing but white space after it. */
  endsWithRoot(): boolean {
    const s = this.last.toString('latin1').trimEnd();
    return /<\/(?:[\w.-]+:)?sst>$/.test(s);
  }
}

class TruncatedPart extends Error {}

/** Bytes that may decode to U+FFFD in some string: not UTF-8, the character itself, a numeric entity, an _xFFFD_ escape. */
class FffdWatch {
  suspect = false;
  private carry: Buffer = Buffer.alloc(0);
  feed(chunk: Uint8Array): void {
    if (this.suspect) return;
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    // Checked up to the last ASCII byte (never inside a character); the rest, and a few bytes for the patterns, carried.
    let cut = buf.length;
    while (cut > 0 && buf[cut - 1]! >= 0x80) cut--;
    const done = buf.subarray(0, cut);
    if (!isUtf8(done) || done.indexOf('\uFFFD') >= 0 || done.indexOf('&#') >= 0 || /_x[fF]{3}[dD]_/.test(xEscapes(done))) this.suspect = true;
    let from = Math.max(0, cut - 8);
    while (from < cut && (buf[from]! & 0xc0) === 0x80) from++;
    this.carry = Buffer.from(buf.subarray(from));
  }
  end(): void {
    if (this.carry.length && !isUtf8(this.carry)) this.suspect = true;
  }
}

/** The `_x…` escapes of a piece of the part (latin1 is enough to match them). */
function xEscapes(b: Buffer): string {
  let out = '';
  for (let i = b.indexOf('_x'); i >= 0; i = b.indexOf('_x', i + 2)) out += b.toString('latin1', i, i + 7) + ' ';
  return out;
}

const PLAIN_OPEN = ['<si><t>', '<si><t xml:space="preserve">'];

/** The text of `<si><t>text</t></si>` when it has nothing to decode (what SI_RE and runsText give it), else undefined. */
function plainText(text: string): string | undefined {
  const open = text.startsWith(PLAIN_OPEN[0]!) ? PLAIN_OPEN[0]! : text.startsWith(PLAIN_OPEN[1]!) ? PLAIN_OPEN[1]! : undefined;
  if (!open) return undefined;
  const k = text.indexOf('<', open.length);
  if (k < 0 || !text.startsWith('</t></si>', k)) return undefined;
  const t = text.slice(open.length, k);
  return t.indexOf('&') >= 0 || t.indexOf('\r') >= 0 || t.indexOf('_x') >= 0 ? undefined : t;
}

class LazyStrings implements SharedStrings {
  bad = false;
  private slotIndex = new Int32Array(SLOTS).fill(-1);
  private slotString: string[] = new Array<string>(SLOTS);
  private slotUsed = new Uint8Array(SLOTS);
  constructor(private readonly index: SiIndex, private readonly size: number, private readonly store: ByteStore, private readonly file: string) {}

  get count(): number {
    return this.index.count;
  }

  get(i: number): string | undefined {
    if (!(i >= 0 && i < this.index.count) || !Number.isInteger(i)) return undefined;
    const slot = i & (SLOTS - 1);
    if (this.slotIndex[slot] === i) {
      this.slotUsed[slot] = 1;
      return this.slotString[slot];
    }
    const s = this.decode(i);
    if (this.slotUsed[slot]) this.slotUsed[slot] = 0;
    else if (s.length <= CACHED_CHARS) {
      this.slotIndex[slot] = i;
      this.slotString[slot] = s;
    }
    return s;
  }

  /** String `i` from its bytes: the element that begins there, read as the whole part would be. */
  decode(i: number): string {
    const index = this.index;
    const end = i + 1 < index.count ? index.start(i + 1) : this.size;
    const text = this.store.read(index.start(i), end).toString('utf8');
    const plain = plainText(text);
    if (plain !== undefined) return plain;
    SI_RE.lastIndex = 0;
    const m = SI_RE.exec(text);
    if (!m || m.index !== 0) throw corrupt(this.file, `共享字符串第 ${i + 1} 项读取不一致`);
    return m[1] ? runsText(m[1]) : '';
  }

  close(): void {
    this.store.close();
    this.slotString = [];
    this.slotIndex.fill(-1);
  }
}

/** Read a workbook's shared strings part: its index built as it is inflated, its bytes in memory or a temporary file. */
export async function readSharedStrings(zip: ZipFile, entry: ZipEntry, file: string): Promise<SharedStrings> {
  const memoryBytes = Number(process.env.GONGWEI_SST_MEMORY_BYTES ?? MEMORY_BYTES);
  const store = new SplitStore(memoryBytes, entry.size);
  try {
    const index = new SiIndex(entry.size);
    const watch = new FffdWatch();
    let size = 0;
    for await (const chunks of zip.stream(entry)) {
      for (const c of chunks) {
        size += c.length;
        store.write(c);
        index.feed(c, false);
        watch.feed(c);
      }
    }
    index.feed(new Uint8Array(0), true);
    watch.end();
    if (!index.endsWithRoot()) throw new TruncatedPart();
    const strings = new LazyStrings(index, size, store, file);
    // Rare (only where a byte pattern allows it): strings decoded once to know exactly.
    if (watch.suspect) for (let i = 0; i < index.count && !strings.bad; i++) strings.bad = strings.decode(i).indexOf('\uFFFD') >= 0;
    return strings;
  } catch (e) {
    store.close();
    if (e instanceof TruncatedPart) throw corrupt(file, '共享字符串表（sharedStrings.xml）不完整');
    if (e instanceof GongweiError) throw e;
    throw corrupt(file, String((e as Error)?.message ?? e), e);
  }
}
