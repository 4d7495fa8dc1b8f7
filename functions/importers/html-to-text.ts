/**
 * Exported comments are HTML; Leserpost stores plain text and renders it as text. Paragraphs and
 * line breaks survive, links keep their address, every other tag goes.
 *
 * Old exports hold hostile bodies (thousands of unclosed `<a href>`, `<` without `>`, long runs of
 * blanks) on which backtracking regular expressions take quadratic time. Every pass here walks the
 * text once (each search resumes where the last one stopped), and counts what it looked at in
 * `work`, so a test can hold it to linear work without a clock.
 */
import { ownText } from '../core/own-text';

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  hellip: '…',
  ndash: '–',
  mdash: '—',
  laquo: '«',
  raquo: '»',
  bdquo: '„',
  ldquo: '“',
  rdquo: '”',
  lsquo: '‘',
  rsquo: '’',
};

/** Characters the passes looked at (a test's measure of work, never a timing). */
export interface ScanWork {
  steps: number;
}

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, entity: string) => {
    if (entity[0] === '#') {
      const code =
        entity[1]?.toLowerCase() === 'x' ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
      if (!(Number.isFinite(code) && code > 0 && code <= 0x10ffff)) return match;
      // Half of a surrogate pair is no character (no UTF-8 encoder stores it): shown as browsers
      // show such a reference, as the replacement character.
      return code >= 0xd800 && code <= 0xdfff ? '\ufffd' : String.fromCodePoint(code);
    }
    // Own entries only: `&constructor;` in an old comment stays as written, not Object's source.
    return ownText(NAMED_ENTITIES, entity.toLowerCase()) ?? match;
  });
}

export function htmlToText(html: string, work: ScanWork = { steps: 0 }): string {
  const text = stripTags(replaceLinks(html.replace(/\r\n?/g, '\n'), work), work);
  return collapseBlanks(decodeEntities(text), work);
}

const HREF = /href\s*=\s*["']?(https?:[^"'\s>]+)/i;

/** `<a href="u">label</a>` → `label (u)`, or `u` when the label is the address or empty. */
function replaceLinks(source: string, work: ScanWork): string {
  const open = /<a\s/gi;
  const close = /<\/a>/gi;
  // The next `</a>` found so far; searched again only once the scan has passed it (linear overall).
  let closeAt = -1;
  let out = '';
  let at = 0;
  for (;;) {
    open.lastIndex = at;
    const found = open.exec(source);
    work.steps += (found ? found.index : source.length) - at;
    if (!found) break;
    const tagEnd = source.indexOf('>', found.index);
    if (tagEnd < 0) break;
    work.steps += tagEnd - found.index;
    const href = HREF.exec(source.slice(found.index, tagEnd))?.[1];
    if (closeAt !== Number.POSITIVE_INFINITY && closeAt <= tagEnd) {
      close.lastIndex = tagEnd + 1;
      const next = close.exec(source);
      work.steps += (next ? next.index : source.length) - (tagEnd + 1);
      closeAt = next ? next.index : Number.POSITIVE_INFINITY;
    }
    if (!href || closeAt === Number.POSITIVE_INFINITY) {
      // Not a link (or never closed): the tag stays for stripTags to remove.
      out += source.slice(at, tagEnd + 1);
      at = tagEnd + 1;
      continue;
    }
    const label = source.slice(tagEnd + 1, closeAt);
    const trimmed = label.trim();
    work.steps += label.length;
    out += source.slice(at, found.index) + (trimmed && !href.includes(trimmed) ? `${label} (${href})` : href);
    at = closeAt + 4;
  }
  return out + source.slice(at);
}

/** One walk: a tag runs from the last `<` before a `>`; a `<` that never closes stays text. */
function stripTags(source: string, work: ScanWork): string {
  let out = '';
  let textStart = 0;
  let tagStart = -1;
  for (let i = 0; i < source.length; i++) {
    const char = source.charCodeAt(i);
    if (char === 60 /* < */) tagStart = i;
    else if (char === 62 /* > */ && tagStart >= 0) {
      const tag = source.slice(tagStart, i + 1);
      work.steps += tag.length;
      out += source.slice(textStart, tagStart) + tagReplacement(tag);
      textStart = i + 1;
      tagStart = -1;
    }
  }
  work.steps += source.length;
  return out + source.slice(textStart);
}

function tagReplacement(tag: string): string {
  if (/^<br\s*\/?>$/i.test(tag)) return '\n';
  if (/^<\/(p|div|blockquote|li|h[1-6])>$/i.test(tag)) return '\n\n';
  return '';
}

/** Blanks before a line break go, three or more line breaks become two. */
function collapseBlanks(text: string, work: ScanWork): string {
  const lines = text.split('\n').map((line) => {
    let end = line.length;
    while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
    return line.slice(0, end);
  });
  work.steps += text.length;
  // The last line keeps its blanks until trim() (as before: only blanks before a break went).
  lines[lines.length - 1] = text.slice(text.lastIndexOf('\n') + 1);
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
