// Packing a docx Document into its parts: the docx package's own compiler (docx is pinned at 9.7.1; these are its
// internals), without the two things that made it slow on a long document — compressing every part (finish() in
// docx.ts unzips them and compresses once) and one regular-expression pass over document.xml per image.
import { Packer, type Document } from 'docx';

interface Media {
  fileName: string;
}
interface ImageReplacer {
  replace(xml: string, media: Media[], offset: number): string;
  getMediaData(xml: string, media: { Array: Media[] }): Media[];
}
interface PackerCompiler {
  imageReplacer: ImageReplacer;
  compile(file: Document, prettify?: string, overrides?: unknown[]): { generateAsync(o: { type: 'uint8array'; compression: 'STORE' }): Promise<Uint8Array> };
}

/** Every {name} placeholder of a part. */
const PLACEHOLDER = /\{([^{}<>]*)\}/g;

/**
 * The same results as docx's ImageReplacer — the images whose {fileName} placeholder the part has, and each
 * placeholder replaced by its relationship number (offset + index) — in one pass over the part instead of one per image.
 */
const onePassImages: ImageReplacer = {
  getMediaData(xml, media) {
    const names = new Set<string>();
    for (const m of xml.matchAll(PLACEHOLDER)) names.add(m[1]!);
    return media.Array.filter((image) => names.has(image.fileName));
  },
  replace(xml, media, offset) {
    if (!media.length) return xml;
    const number = new Map(media.map((image, i) => [image.fileName, String(offset + i)]));
    return xml.replace(PLACEHOLDER, (whole, name: string) => number.get(name) ?? whole);
  },
};

/** The document's parts as a zip without compression. */
export function packStored(d: Document): Promise<Uint8Array> {
  const { compiler } = Packer as unknown as { compiler: PackerCompiler };
  compiler.imageReplacer = onePassImages;
  return compiler.compile(d, undefined, []).generateAsync({ type: 'uint8array', compression: 'STORE' });
}
