// Short quotations of the author's text for messages: cut to a few characters, ID card and mobile numbers masked.

/** `430102********1234`, `138****5678`: a plan can hold them (a 领导小组 with phone numbers), messages never show them. */
export function maskNumbers(s: string): string {
  return s
    .replace(/(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)/g, '$1********$2')
    .replace(/(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g, '$1****$2');
}

/** The first `n` characters of a text, with "…" when cut. */
export function quote(s: string, n = 16): string {
  const cs = [...s];
  return maskNumbers(cs.length > n ? `${cs.slice(0, n).join('')}…` : s);
}
