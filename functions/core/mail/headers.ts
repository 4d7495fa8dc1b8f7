/**
 * Anything that ends up in a mail header passes through here: names, page titles and topics come
 * from readers, so a CR/LF (or any other control or line-separator character) could otherwise
 * start a header of its own. Values become one clean line of bounded length.
 */
import { excerpt } from '../html';

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u0085]+/g;
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

export function headerText(value: string | undefined | null, maxChars = 120): string {
  const line = String(value ?? '')
    .replace(BREAKING, ' ')
    .replace(INVISIBLE, '')
    .replace(/\s+/g, ' ')
    .trim();
  return excerpt(line, maxChars);
}

/** A bare address for a header, or undefined when it could smuggle anything besides an address. */
export function headerAddress(value: string | undefined | null): string | undefined {
  const address = String(value ?? '').trim();
  return /^[^\s<>()[\]\\,;:"@]+@[^\s<>()[\]\\,;:"@]+$/.test(address) ? address : undefined;
}
