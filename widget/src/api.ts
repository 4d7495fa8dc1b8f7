/**
 * Talking to the Leserpost API: JSON in and out, the reader's language, no cookies. A request that
 * fails on the network or is asked to come back later (503, Retry-After) is tried once more; a
 * submission keeps its Idempotency-Key for that retry, so it is stored at most once.
 */

export interface FieldError {
  field: string;
  code: string;
  message?: string;
}

/** A failed call: the API's error shape, status 0 when the server could not be reached. */
export interface ApiError {
  status: number;
  code: string;
  message?: string;
  fields: FieldError[];
}

export type Api = <T>(path: string, method?: string, body?: unknown, key?: string) => Promise<T>;

/** A random id from the browser's CSPRNG: 18 bytes as 24 base64url characters. */
export const randomId = (): string =>
  btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(18))))
    .replace(/\+/g, '-')
    .replace(/\//g, '_');

/** Reads (GET) go to `reads`, the edge-cached base; writes to `base`, the API itself. */
export function makeApi(base: string, lang: string, reads = base): Api {
  return async (path, method = 'GET', body, key) => {
    const headers: Record<string, string> = { 'accept-language': lang };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (key) headers['idempotency-key'] = key;
    for (let attempt = 0; ; attempt++) {
      let response: Response | undefined;
      try {
        response = await fetch((method === 'GET' ? reads : base) + path, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          credentials: 'omit',
          // Always asks the edge (which keeps public lists a few seconds), never the browser's own
          // copy: a reload then shows what the edge has, an approved comment included.
          cache: 'no-cache',
        });
      } catch {
        // Offline or blocked: tried once more below.
      }
      // Offline, busy (503) or "the same submission is still being stored" (409, Retry-After): once more.
      if (!attempt && (!response || response.status === 503 || response.headers.has('retry-after'))) {
        await new Promise((resolve) => setTimeout(resolve, 1500));
        continue;
      }
      if (!response) throw { status: 0, code: 'offline', fields: [] } as ApiError;
      // An answer that is no JSON object (a proxy's HTML page, a cut-off body) fails like the network:
      // a form keeps what she typed, and her retry carries the same Idempotency-Key.
      const data = await response.json().catch(() => 0);
      if (response.ok && data) return data;
      throw { status: !response.ok && response.status, fields: [], ...data?.error } as ApiError;
    }
  };
}
