/**
 * What CloudFront does with the public reads, on one machine: one entry per cache key (the route's
 * path, only the query parameters its `edge.query` names, and the Origin header, as the CDK cache
 * policies say), kept for the answer's s-maxage and served stale for stale-while-revalidate while
 * one request fetches a fresh copy. The local stack (`edgeCache` option) and the viral-post bench
 * both use it, so the bench counts what the edge would let through.
 */
import { findRoute, ROUTES } from '../functions/routes';

export interface CachedAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

interface Entry {
  answer: CachedAnswer;
  storedAt: number;
  freshMs: number;
  staleMs: number;
  /** A fetch of a fresh copy is under way: other requests get the stale one meanwhile. */
  refreshing: boolean;
}

export type EdgeLookup =
  | { state: 'fresh' | 'stale'; answer: CachedAnswer; ageSeconds: number }
  | { state: 'miss' | 'pass' };

/** The cache key CloudFront builds for a GET, or undefined for a request it passes through. */
export function edgeCacheKey(
  method: string,
  path: string,
  query: URLSearchParams,
  origin: string | undefined,
): string | undefined {
  if (method !== 'GET') return undefined;
  const match = findRoute(ROUTES, method, path);
  if (!('route' in match) || match.route.edge?.cache !== 'public') return undefined;
  const allowed = match.route.edge.query;
  const kept = [...query].filter(([name]) => allowed.includes(name));
  return `${path}?${new URLSearchParams(kept).toString()}|${origin ?? ''}`;
}

/** Seconds of a Cache-Control directive, or undefined. */
function directive(cacheControl: string, name: string): number | undefined {
  const match = new RegExp(`(?:^|,)\\s*${name}=(\\d+)`).exec(cacheControl);
  return match ? Number(match[1]) : undefined;
}

export class EdgeCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Looks a key up. A stale hit within stale-while-revalidate is served once per refresh: the first
   * such request is told `miss` (it fetches, as CloudFront's background revalidation does) and the
   * others get the stale copy until the fresh one is stored.
   */
  lookup(key: string): EdgeLookup {
    const entry = this.entries.get(key);
    if (!entry) return { state: 'miss' };
    const age = this.now() - entry.storedAt;
    const ageSeconds = Math.floor(age / 1000);
    if (age < entry.freshMs) return { state: 'fresh', answer: entry.answer, ageSeconds };
    if (age < entry.freshMs + entry.staleMs) {
      if (entry.refreshing) return { state: 'stale', answer: entry.answer, ageSeconds };
      entry.refreshing = true;
      return { state: 'miss' };
    }
    this.entries.delete(key);
    return { state: 'miss' };
  }

  /** Keeps an answer if its Cache-Control lets a shared cache keep it. */
  store(key: string, answer: CachedAnswer): boolean {
    const cacheControl = answer.headers['cache-control'] ?? '';
    const seconds = directive(cacheControl, 's-maxage') ?? directive(cacheControl, 'max-age');
    if (!/\bpublic\b/.test(cacheControl) || /no-store|private/.test(cacheControl) || !seconds) {
      const entry = this.entries.get(key);
      if (entry) entry.refreshing = false;
      return false;
    }
    this.entries.set(key, {
      answer,
      storedAt: this.now(),
      freshMs: seconds * 1000,
      staleMs: (directive(cacheControl, 'stale-while-revalidate') ?? 0) * 1000,
      refreshing: false,
    });
    return true;
  }

  get size(): number {
    return this.entries.size;
  }
}
