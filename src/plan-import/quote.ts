// Short quotations of the author's text for messages: cut to a few characters, ID card and mobile numbers masked.
import { maskPersonalNumbers } from '../mask.js';

/** The first `n` characters of a text, with "…" when cut. */
export function quote(s: string, n = 16): string {
  const cs = [...s];
  return maskPersonalNumbers(cs.length > n ? `${cs.slice(0, n).join('')}…` : s);
}
