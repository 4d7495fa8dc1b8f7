/**
 * Where the desk goes after signing in: the page she asked for (`next`), if it is one of the
 * desk's own. The value comes from a query string or a form anyone can write, so only a plain path
 * under /desk passes, with an optional query; everything doubtful gives the inbox.
 */
import { LIMITS } from '../limits';

export const DESK_HOME = '/desk';

/**
 * Segments of unreserved characters only: no `//host`, no backslash, no percent-encoding in the
 * path (so no `%2F..%2F` that a proxy might decode), no scheme. The query may hold any printable
 * URL characters and well-formed percent-encodings, but never `#`, a backslash or a space.
 */
const RETURN_PATH =
  /^\/desk(?:\/[A-Za-z0-9._~-]+)*(?:\?(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?$/;
/** Dot segments would leave /desk once a browser resolves them; sign-in pages would only loop. */
const REFUSED_SEGMENT = /^\/desk\/(?:[^/?]*\/)*\.{1,2}(?:[/?]|$)|^\/desk\/(?:login|logout)(?:[/?]|$)/i;

/**
 * The desk path to return to, or '/desk'. A doubtful value is not an error page: she just signed
 * in and lands on her inbox, which is where she would have been without it.
 */
export function deskReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > LIMITS.desk.returnPathMaxChars) return DESK_HOME;
  if (!RETURN_PATH.test(value) || REFUSED_SEGMENT.test(value)) return DESK_HOME;
  return value;
}

/** `path` with `next` appended as a query parameter, unless it is the inbox (the default anyway). */
export function withReturnPath(path: string, next: unknown): string {
  const target = deskReturnPath(next);
  if (target === DESK_HOME) return path;
  return `${path}${path.includes('?') ? '&' : '?'}next=${encodeURIComponent(target)}`;
}

/** The page she asked for, as a hidden field of each sign-in form (none for the inbox). */
export function ReturnPathField({ next }: { next?: string }) {
  return next && next !== DESK_HOME ? <input type="hidden" name="next" value={next} /> : null;
}
