/**
 * One page is one thread, however its URL is spelled: the host (in any case), query string,
 * fragment, trailing slash and doubled slashes do not matter; the path's case does, as it does
 * on most web servers.
 */
export function normalisePage(raw: string): string {
  const trimmed = raw.trim();
  let path = trimmed;
  if (/^https?:\/\//i.test(trimmed)) {
    try {
      path = new URL(trimmed).pathname;
    } catch {
      path = trimmed;
    }
  }
  path = path.replace(/[?#].*$/s, '');
  path = safeDecode(path);
  if (!path.startsWith('/')) path = `/${path}`;
  path = path.replace(/\/{2,}/g, '/');
  if (path.length > 1) path = path.replace(/\/+$/, '');
  return path;
}

/** Decodes percent escapes so `/caf%C3%A9` and `/café` are one page; keeps bad escapes as they are. */
function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** The origin of a URL the browser reported, or undefined when it is not http(s). */
export function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    return parsed.origin.toLowerCase();
  } catch {
    return undefined;
  }
}

/** A comment's anchor on its page (`#kommentar-<id>`): the widget scrolls to it, mails link to it. */
export const commentAnchor = (id: string): string => `kommentar-${id}`;
