/**
 * Rate limits as a reader and as a flood meet them: per hashed client IP and per page, atomic
 * counters in DynamoDB Local, 429 with Retry-After in the reader's language.
 */
import { LIMITS } from '../../functions/core/limits';
import { handler } from '../../functions/handlers/comments';
import { handler as wishHandler } from '../../functions/handlers/wishes';
import { applyWishAction } from '../../functions/usecases/wishes';
import { setDateOnly } from '../support/clock';
import { call, createTestStack, type TestStack, validComment } from '../support/stack';
import { newVoterId, validWish } from '../support/wishes';

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack({ RATE_LIMIT_SCALE: '1' });
});
afterEach(() => {
  jest.useRealTimers();
});

const post = (json: unknown, sourceIp: string, headers: Record<string, string> = {}) =>
  call(handler, { method: 'POST', path: '/comments', json, sourceIp, headers });
const stored = async () => (await stack.dump()).filter((item) => item.kind === 'comment').length;

/** Only Date moves; timers and I/O run as usual. */
const setClock = setDateOnly;

/** The start of a fresh rate window, so a test never straddles two. */
function freshWindow(offsetWindows = 0): Date {
  const windowMs = LIMITS.rate.windowSeconds * 1000;
  return new Date((Math.floor(Date.now() / windowMs) + 2 + offsetWindows) * windowMs + 1000);
}

describe('per client IP', () => {
  it('refuses the comment after the limit with 429, Retry-After and a clear message; stores nothing', async () => {
    setClock(freshWindow());
    const ip = '198.51.100.7';
    for (let i = 0; i < LIMITS.rate.commentsPerWindow; i++) {
      const ok = await post(validComment({ page: `/posts/ip-${i}` }), ip);
      expect(ok.status).toBe(201);
    }
    const before = await stored();
    const german = await post(validComment({ page: '/posts/ip-x' }), ip);
    expect(german.status).toBe(429);
    expect(german.body.error.code).toBe('rate_limited');
    expect(german.body.error.message).toMatch(/Zu viele Anfragen/);
    const retryAfter = Number(german.headers['retry-after']);
    // One second into the window: the rest of it.
    expect(retryAfter).toBe(LIMITS.rate.windowSeconds - 1);
    const english = await post(validComment({ page: '/posts/ip-x' }), ip, { 'accept-language': 'en' });
    expect(english.body.error.message).toMatch(/Too many requests/);
    expect(await stored()).toBe(before);

    // Another network is not affected.
    expect((await post(validComment({ page: '/posts/ip-y' }), '198.51.100.8')).status).toBe(201);
    // The next window opens the door again.
    setClock(freshWindow(1));
    expect((await post(validComment({ page: '/posts/ip-z' }), ip)).status).toBe(201);
  });

  it('counts only stored comments: refused input does not use up the limit', async () => {
    setClock(freshWindow(3));
    const ip = '198.51.100.9';
    for (let i = 0; i < 15; i++) {
      expect((await post(validComment({ email: 'not-an-email' }), ip)).status).toBe(400);
    }
    expect((await post(validComment({ page: '/posts/after-typos' }), ip)).status).toBe(201);
  });

  it('keeps no raw IP: counters are keyed by a daily keyed hash and expire by TTL', async () => {
    setClock(freshWindow(5));
    await post(validComment({ page: '/posts/ttl' }), '203.0.113.99');
    const items = await stack.dump();
    const text = JSON.stringify(items);
    expect(text).not.toContain('203.0.113.99');
    const window = Math.floor(Date.now() / 1000 / LIMITS.rate.windowSeconds);
    const counters = items.filter((item) => String(item.pk).startsWith('RATE#') && item.sk === `W#${window}`);
    expect(counters.map((counter) => String(counter.pk).split('#')[1]).sort()).toEqual([
      'comment-ip',
      'comment-page',
    ]);
    const now = Date.now() / 1000;
    for (const counter of counters) {
      expect(counter.expiresAt).toBeGreaterThan(now);
      expect(counter.expiresAt).toBeLessThanOrEqual(now + 2 * LIMITS.rate.windowSeconds);
    }
  });
});

describe('per page', () => {
  it('limits all new comments on one page, whoever writes them', async () => {
    setClock(freshWindow(7));
    const page = '/posts/viral';
    for (let i = 0; i < LIMITS.rate.commentsPerPagePerWindow; i++) {
      const response = await post(validComment({ page }), `192.0.2.${i + 1}`);
      expect(response.status).toBe(201);
    }
    const before = await stored();
    const fresh = await post(validComment({ page }), '192.0.2.200');
    expect(fresh.status).toBe(429);
    expect(Number(fresh.headers['retry-after'])).toBeGreaterThan(0);
    expect(await stored()).toBe(before);
    // Another page is open.
    expect((await post(validComment({ page: '/posts/quiet' }), '192.0.2.200')).status).toBe(201);
  });
});

describe('concurrent posts', () => {
  it('never let more comments through than the limit, however they race', async () => {
    setClock(freshWindow(9));
    const ip = '198.51.100.77';
    const responses = await Promise.all(
      Array.from({ length: 16 }, (_, i) => post(validComment({ page: `/posts/race-${i}` }), ip)),
    );
    const statuses = responses.map((response) => response.status);
    // Every request gets an answer: stored, limited, or (after its retries) busy — never a 500.
    expect(statuses.every((status) => [201, 429, 503].includes(status))).toBe(true);
    const created = statuses.filter((status) => status === 201).length;
    expect(created).toBeLessThanOrEqual(LIMITS.rate.commentsPerWindow);
    // Without a busy answer, exactly the limit got through.
    if (!statuses.includes(503)) expect(created).toBe(LIMITS.rate.commentsPerWindow);
    const pages = new Set(
      (await stack.dump())
        .filter((item) => item.kind === 'comment' && String(item.page).startsWith('/posts/race-'))
        .map((item) => item.page),
    );
    expect(pages.size).toBe(created);
  });
});

describe('wishes and votes', () => {
  const postWish = (json: unknown, sourceIp: string) =>
    call(wishHandler, { method: 'POST', path: '/wishes', json, sourceIp });
  const vote = (id: string, method: 'POST' | 'DELETE', sourceIp: string, voterId = newVoterId()) =>
    call(wishHandler, { method, path: `/wishes/${id}/vote`, json: { voterId }, sourceIp });

  it('limits new wishes per client IP', async () => {
    setClock(freshWindow(11));
    const ip = '198.51.100.20';
    for (let i = 0; i < LIMITS.rate.wishesPerWindow; i++) {
      expect((await postWish(validWish({ topic: `Wunschthema Nummer ${i}` }), ip)).status).toBe(201);
    }
    const before = (await stack.dump()).length;
    const refused = await postWish(validWish(), ip);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await stack.dump()).length).toBe(before);
  });

  it('limits votes and taken-back votes per client IP; a refused vote changes no count', async () => {
    setClock(freshWindow(13));
    // One voter per wish: the per-wish limit (LIMITS.rate.votesPerWishPerWindow) stays out of the way.
    const voters = Array.from({ length: LIMITS.rate.votesPerWindow / 2 }, () => newVoterId());
    const ids: string[] = [];
    for (const [i] of voters.entries()) {
      const posted = await postWish(validWish(), `198.51.100.${100 + i}`);
      ids.push(posted.body.wish.id as string);
      await applyWishAction(ids[i]!, 'accept', {}, new Date());
    }
    const ip = '198.51.100.22';
    for (const [i, voter] of voters.entries())
      expect((await vote(ids[i]!, 'POST', ip, voter)).status).toBe(200);
    for (const [i, voter] of voters.entries())
      expect((await vote(ids[i]!, 'DELETE', ip, voter)).status).toBe(200);
    const refused = await vote(ids[0]!, 'POST', ip);
    expect(refused.status).toBe(429);
    const board = await call(wishHandler, {
      method: 'GET',
      path: '/wishes',
      rawQueryString: 'sort=newest&limit=50',
    });
    expect(board.body.wishes.find((wish: { id: string }) => wish.id === ids[0]).votes).toBe(0);
    // Someone else on another network still votes.
    expect((await vote(ids[0]!, 'POST', '198.51.100.23')).status).toBe(200);
  });
});
