/**
 * What an uploaded file is, before anything is parsed: unpacked when it is gzip (bounded, so a
 * zip bomb stops at a limit instead of filling memory) and recognised by its first element, so
 * the author need not say whether it is WordPress or Disqus, and a wrong file is named for what
 * it is (a feed, a web page, a Leserpost backup).
 */
import { gunzipSync } from 'node:zlib';

export type ExportKind =
  | 'wordpress'
  | 'disqus'
  | 'backup'
  | 'rss'
  | 'atom'
  | 'html'
  | 'xml'
  | 'json'
  | 'zip'
  | 'empty'
  | 'unknown';

export type UnpackedExport =
  | { ok: true; text: string; kind: ExportKind; compressed: boolean }
  | { ok: false; problem: 'inflated_too_large' | 'corrupt_gzip' };

const GZIP = [0x1f, 0x8b];
const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** How much of the start of a file the recognition reads. */
const HEAD_CHARS = 64 * 1024;

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((byte, i) => bytes[i] === byte);

export function unpackExport(bytes: Buffer, maxInflatedBytes: number): UnpackedExport {
  let raw = bytes;
  const compressed = startsWith(bytes, GZIP);
  if (compressed) {
    try {
      raw = gunzipSync(bytes, { maxOutputLength: maxInflatedBytes });
    } catch (error) {
      const code = (error as { code?: string }).code;
      return { ok: false, problem: code === 'ERR_BUFFER_TOO_LARGE' ? 'inflated_too_large' : 'corrupt_gzip' };
    }
  } else if (bytes.length > maxInflatedBytes) return { ok: false, problem: 'inflated_too_large' };
  if (startsWith(raw, ZIP)) return { ok: true, text: '', kind: 'zip', compressed };
  // Exports are UTF-8; a stray invalid byte becomes U+FFFD instead of refusing a whole blog.
  const text = new TextDecoder('utf-8').decode(raw);
  return { ok: true, text, kind: kindOfExport(text), compressed };
}

/** The kind of an export by its first element (a stray character before `<?xml` is tolerated). */
export function kindOfExport(text: string): ExportKind {
  const head = text.slice(0, HEAD_CHARS);
  const start = head.search(/\S/);
  if (start < 0) return 'empty';
  if (head[start] === '{' || head[start] === '[') {
    return /"format"\s*:\s*"leserpost-backup"/.test(head) ? 'backup' : 'json';
  }
  const root = rootElement(head);
  if (root === undefined) return /<!doctype\s+html/i.test(head) ? 'html' : 'unknown';
  if (root === 'rss') return /xmlns:wp\s*=|<wp:wxr_version/i.test(head) ? 'wordpress' : 'rss';
  if (root === 'disqus') return 'disqus';
  if (root === 'html') return 'html';
  if (root === 'feed') return 'atom';
  return 'xml';
}

/** The lower-cased name of the first element, past the XML declaration, comments and a doctype. */
function rootElement(head: string): string | undefined {
  const skip = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<![^>]*>|[^<]+/y;
  const element = /<([A-Za-z_][\w.:-]*)/y;
  let at = 0;
  while (at < head.length) {
    element.lastIndex = at;
    const found = element.exec(head);
    if (found) return found[1]!.toLowerCase();
    skip.lastIndex = at;
    if (!skip.exec(head)) return undefined;
    at = skip.lastIndex;
  }
  return undefined;
}
