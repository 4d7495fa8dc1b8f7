/**
 * Idempotency-Key on POST /comments: a retried request gets the first response and stores nothing
 * twice, even when the retries race each other or the spam guards would refuse a second use.
 */
import { issueFormToken } from '../../functions/core/guards';
import { LIMITS } from '../../functions/core/limits';
import { solvePow } from '../../functions/core/pow-solve';
import { handler } from '../../functions/handlers/comments';
import { handler as wishHandler } from '../../functions/handlers/wishes';
import {
  call,
  createTestStack,
  resetRuntime,
  type TestStack,
  testHashKeys,
  validComment,
} from '../support/stack';
import { validWish } from '../support/wishes';

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack();
});
afterEach(() => {
  jest.useRealTimers();
});

const post = (json: unknown, key?: string, headers: Record<string, string> = {}) =>
  call(handler, {
    method: 'POST',
    path: '/comments',
    json,
    headers: key === undefined ? headers : { 'idempotency-key': key, ...headers },
  });
const storedWithText = async (text: string) =>
  (await stack.dump()).filter((item) => item.kind === 'comment' && item.text === text);
const newKey = () => `key-${crypto.randomUUID()}`;

describe('a retried POST', () => {
  it('returns the first response and stores the comment once', async () => {
    const comment = validComment({ page: '/posts/retry', text: 'Einmal und nur einmal.' });
    const key = newKey();
    const first = await post(comment, key);
    expect(first.status).toBe(201);
    const second = await post(comment, key);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await storedWithText('Einmal und nur einmal.')).toHaveLength(1);
    const counts = await call(handler, {
      method: 'GET',
      path: '/comments/counts',
      rawQueryString: 'pages=/posts/retry',
    });
    expect(counts.body.counts['/posts/retry']).toBe(1);
  });

  it('without a key, the same body is a second comment (keys are what make retries safe)', async () => {
    const comment = validComment({ text: 'Zweimal ohne Schlüssel.' });
    await post(comment);
    await post(comment);
    expect(await storedWithText('Zweimal ohne Schlüssel.')).toHaveLength(2);
  });

  it('returns one result to racing duplicates and stores the comment once', async () => {
    const comment = validComment({ text: 'Doppelklick im Funkloch.' });
    const key = newKey();
    const responses = await Promise.all(Array.from({ length: 6 }, () => post(comment, key)));
    const created = responses.filter((response) => response.status === 201);
    // A duplicate arriving while the first is still being written may get 409 (retry shortly).
    expect(responses.every((response) => response.status === 201 || response.status === 409)).toBe(true);
    expect(created.length).toBeGreaterThan(0);
    expect(new Set(created.map((response) => response.body.comment.id)).size).toBe(1);
    expect(await storedWithText('Doppelklick im Funkloch.')).toHaveLength(1);
  });

  it('refuses the same key with another body (422) and stores nothing', async () => {
    const key = newKey();
    await post(validComment({ text: 'Der erste Text.' }), key);
    const before = (await stack.dump()).length;
    const other = await post(validComment({ text: 'Ein anderer Text.' }), key);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect((await stack.dump()).length).toBe(before);
  });

  it('does not burn a key on a refused request: the corrected retry is stored', async () => {
    const key = newKey();
    const wrong = await post(validComment({ email: 'kaputt', text: 'Mit Tippfehler.' }), key);
    expect(wrong.status).toBe(400);
    const fixed = await post(validComment({ text: 'Mit Tippfehler.' }), key);
    expect(fixed.status).toBe(201);
  });

  it.each([
    ['too short', 'abc'],
    ['too long', 'x'.repeat(LIMITS.idempotencyKey.maxChars + 1)],
    ['with spaces', 'has some spaces'],
    ['with other characters', 'schlüssel-äöü-123'],
    ['with a newline', 'abcdefgh\r\nx-injected: 1'],
  ])('refuses a key that is %s with 400 naming the header, storing nothing', async (_case, key) => {
    const before = (await stack.dump()).length;
    const response = await post(validComment(), key);
    expect(response.status).toBe(400);
    expect(response.body.error.fields).toEqual([
      expect.objectContaining({ field: 'Idempotency-Key', code: 'invalid_idempotency_key' }),
    ]);
    expect((await stack.dump()).length).toBe(before);
  });

  it('forgets a key after its lifetime', async () => {
    const key = newKey();
    await post(validComment({ text: 'Vor langer Zeit.' }), key);
    jest.useFakeTimers({
      doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'queueMicrotask'],
    });
    jest.setSystemTime(Date.now() + (LIMITS.idempotencyKey.ttlSeconds + 60) * 1000);
    const later = await post(validComment({ text: 'Viel später, neuer Text.' }), key);
    expect(later.status).toBe(201);
  });

  it('stores keys only as keyed hashes, with a TTL', async () => {
    const key = newKey();
    await post(validComment({ text: 'Schlüssel bleibt geheim.' }), key);
    const items = await stack.dump();
    expect(JSON.stringify(items)).not.toContain(key);
    const records = items.filter((item) => item.kind === 'idempotency');
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) expect(record.expiresAt).toBeGreaterThan(Date.now() / 1000);
  });
});

describe('with the browser guards on', () => {
  beforeAll(() => {
    process.env.BROWSER_GUARDS = 'on';
    process.env.POW_MAX_NUMBER = '1000';
    resetRuntime();
  });
  afterAll(() => {
    process.env.BROWSER_GUARDS = 'off';
    delete process.env.POW_MAX_NUMBER;
    resetRuntime();
  });

  it('a retry gets the stored answer although its proof of work is already used', async () => {
    const guard = (await call(handler, { method: 'GET', path: '/guard' })).body;
    const formToken = issueFormToken(testHashKeys().formTokens, new Date(Date.now() - 20_000));
    const comment = validComment({
      text: 'Abgeschickt im Zug.',
      hp: '',
      formToken,
      pow: await solvePow(guard.pow),
    });
    const key = newKey();
    const first = await post(comment, key);
    expect(first.status).toBe(201);
    const retry = await post(comment, key);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    // Without the key the used proof of work is refused.
    expect((await post(comment)).body.error.code).toBe('spam_suspected');
    expect(await storedWithText('Abgeschickt im Zug.')).toHaveLength(1);
  });
});

describe('POST /wishes', () => {
  it('returns the first response to a retry and stores the wish once', async () => {
    const wish = validWish({ topic: 'Einmal gewünscht, zweimal gesendet' });
    const key = newKey();
    const send = () =>
      call(wishHandler, { method: 'POST', path: '/wishes', json: wish, headers: { 'idempotency-key': key } });
    const first = await send();
    expect(first.status).toBe(201);
    const retry = await send();
    expect(retry.body).toEqual(first.body);
    const wishes = (await stack.dump()).filter(
      (item) => item.kind === 'wish' && item.topic === 'Einmal gewünscht, zweimal gesendet',
    );
    expect(wishes).toHaveLength(1);
  });
});
