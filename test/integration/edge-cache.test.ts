/**
 * Public reads are answered so CloudFront and browsers may keep them for a few seconds (and the
 * CORS answer per Origin stays right), everything else stays no-store; the emulated edge that the
 * local stack and the viral-post bench use keeps them exactly that long.
 */
import { EdgeCache, edgeCacheKey } from '../../dev/edge-cache';
import { LIMITS } from '../../functions/core/limits';
import { handler as comments } from '../../functions/handlers/comments';
import { handler as wishes } from '../../functions/handlers/wishes';
import { EDGE_ROUTES, ROUTES } from '../../functions/routes';
import { call, createTestStack, TEST_ORIGIN, validComment } from '../support/stack';

beforeAll(async () => {
  await createTestStack({ MODERATION: 'none' });
});

const { maxAgeSeconds, staleWhileRevalidateSeconds } = LIMITS.edgeCache;
const SHARED = `public, max-age=${maxAgeSeconds}, s-maxage=${maxAgeSeconds}, stale-while-revalidate=${staleWhileRevalidateSeconds}`;

/** A valid request for each public read. */
const PUBLIC_READS: Record<string, [typeof comments, string]> = {
  '/comments': [comments, 'page=%2Fposts%2Fedge'],
  '/comments/counts': [comments, 'pages=%2Fposts%2Fedge'],
  '/compliments': [comments, ''],
  '/wishes': [wishes, 'sort=newest'],
  '/wishes/credit': [wishes, 'page=%2Fposts%2Fedge'],
  '/feeds/comments': [comments, 'page=%2Fposts%2Fedge'],
  '/feeds/wishes': [wishes, ''],
};

describe('cache headers of the API', () => {
  it('marks exactly the public reads as cacheable, and every one of them is tested here', () => {
    const cached = ROUTES.filter((route) => route.edge?.cache === 'public');
    expect(cached.map((route) => route.path).sort()).toEqual(Object.keys(PUBLIC_READS).sort());
    expect(cached.every((route) => route.method === 'GET')).toBe(true);
    // Reader-facing GETs only: no write, no moderation page, no OpenAPI document through the edge.
    expect(EDGE_ROUTES.every((route) => route.method === 'GET' && route.group !== 'moderation')).toBe(true);
  });

  it.each(Object.entries(PUBLIC_READS))(
    'GET %s may be kept a few seconds, per Origin',
    async (path, [handler, query]) => {
      const response = await call(handler, { method: 'GET', path, rawQueryString: query });
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe(SHARED);
      expect(response.headers.vary).toBe('Origin');
      expect(response.headers['access-control-allow-origin']).toBe(TEST_ORIGIN);
      // The body is the same in every language, so the language is no part of the cache key.
      const english = await call(handler, {
        method: 'GET',
        path,
        rawQueryString: query,
        headers: { 'accept-language': 'en' },
      });
      expect(english.text).toBe(response.text);
      expect(english.headers['content-language']).toBeUndefined();
    },
  );

  it('answers errors, writes and the guard with no-store', async () => {
    const invalid = await call(comments, { method: 'GET', path: '/comments', rawQueryString: 'page=' });
    expect(invalid.status).toBe(400);
    expect(invalid.headers['cache-control']).toBe('no-store');
    const foreign = await call(comments, {
      method: 'GET',
      path: '/comments',
      rawQueryString: 'page=%2Fx',
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers['cache-control']).toBe('no-store');
    const posted = await call(comments, { method: 'POST', path: '/comments', json: validComment() });
    expect(posted.status).toBe(201);
    expect(posted.headers['cache-control']).toBe('no-store');
    // A feed asked for with a parameter it does not take: refused, and never kept.
    const feed = await call(wishes, { method: 'GET', path: '/feeds/wishes', rawQueryString: 'page=%2Fx' });
    expect(feed.status).toBe(400);
    expect(feed.headers['cache-control']).toBe('no-store');
    const guard = await call(comments, { method: 'GET', path: '/guard' });
    expect(guard.headers['cache-control']).toBe('no-store');
  });
});

describe('the emulated edge (CloudFront as the cache policies configure it)', () => {
  const query = (text: string) => new URLSearchParams(text);

  it('keys on the path, the allowed query parameters in order and the Origin, nothing else', () => {
    const key = edgeCacheKey('GET', '/comments', query('page=%2Fa&limit=20&utm_source=x'), TEST_ORIGIN);
    expect(key).toBe(edgeCacheKey('GET', '/comments', query('page=%2Fa&limit=20'), TEST_ORIGIN));
    expect(key).not.toBe(edgeCacheKey('GET', '/comments', query('page=%2Fb&limit=20'), TEST_ORIGIN));
    expect(key).not.toBe(
      edgeCacheKey('GET', '/comments', query('page=%2Fa&limit=20'), 'https://other.example'),
    );
    expect(edgeCacheKey('GET', '/guard', query(''), TEST_ORIGIN)).toBeUndefined();
    expect(edgeCacheKey('POST', '/comments', query(''), TEST_ORIGIN)).toBeUndefined();
    expect(edgeCacheKey('GET', '/moderate', query('t=x'), TEST_ORIGIN)).toBeUndefined();
  });

  it('serves an answer for its lifetime, stale while one request refreshes, then fetches again', () => {
    let now = 0;
    const edge = new EdgeCache(() => now);
    const answer = { statusCode: 200, headers: { 'cache-control': SHARED }, body: '{"comments":[]}' };
    expect(edge.lookup('k').state).toBe('miss');
    expect(edge.store('k', answer)).toBe(true);
    now = maxAgeSeconds * 1000 - 1;
    expect(edge.lookup('k').state).toBe('fresh');
    now = maxAgeSeconds * 1000;
    // The first request after the lifetime fetches; the others meanwhile get the stale copy.
    expect(edge.lookup('k').state).toBe('miss');
    expect(edge.lookup('k').state).toBe('stale');
    edge.store('k', answer);
    expect(edge.lookup('k').state).toBe('fresh');
    now += (maxAgeSeconds + staleWhileRevalidateSeconds) * 1000;
    expect(edge.lookup('k').state).toBe('miss');
  });

  it('never keeps a no-store answer', () => {
    const edge = new EdgeCache(() => 0);
    expect(edge.store('k', { statusCode: 400, headers: { 'cache-control': 'no-store' }, body: '' })).toBe(
      false,
    );
    expect(edge.lookup('k').state).toBe('miss');
  });
});
