/**
 * Votes that cannot be stuffed: a vote needs the proof of work a comment needs (when that guard is
 * on), and one client IP can vote on one wish only LIMITS.rate.votesPerWishPerWindow times per
 * window, however many voter ids it invents. Through the real handler and DynamoDB Local.
 */
import { LIMITS } from '../../functions/core/limits';
import { solvePow } from '../../functions/core/pow-solve';
import { handler as comments } from '../../functions/handlers/comments';
import { handler } from '../../functions/handlers/wishes';
import { call, createTestStack, resetRuntime, type TestStack } from '../support/stack';
import { acceptedWish, newVoterId } from '../support/wishes';

let stack: TestStack;
beforeAll(async () => {
  // Real rate limits (scale 1); the smallest difficulty keeps solving short.
  stack = await createTestStack({ BROWSER_GUARDS: 'on', RATE_LIMIT_SCALE: '1', POW_MAX_NUMBER: '1000' });
});

/** Wishes are made with the guards off: this file is about votes. */
async function wishWithoutGuards(topic: string): Promise<string> {
  process.env.BROWSER_GUARDS = 'off';
  resetRuntime();
  try {
    return await acceptedWish({ topic, email: `${newVoterId().slice(0, 8)}@example.org` });
  } finally {
    process.env.BROWSER_GUARDS = 'on';
    resetRuntime();
  }
}

/** What the widget does before a vote: GET /guard and solve it. */
async function solvedPow(): Promise<string> {
  const guard = await call(comments, { method: 'GET', path: '/guard' });
  return (await solvePow(guard.body.pow))!;
}

const vote = (id: string, json: Record<string, unknown>, sourceIp = '203.0.113.7') =>
  call(handler, { method: 'POST', path: `/wishes/${id}/vote`, json, sourceIp });
const unvote = (id: string, json: Record<string, unknown>, sourceIp = '203.0.113.7') =>
  call(handler, { method: 'DELETE', path: `/wishes/${id}/vote`, json, sourceIp });
const votesOf = async (id: string) =>
  Number((await stack.dump()).find((item) => item.pk === `WISH#${id}` && item.sk === 'WISH')?.votes);

describe('a vote with the proof-of-work guard on', () => {
  it('is refused without a solved challenge and counts nothing', async () => {
    const id = await wishWithoutGuards('Vote ohne Rechenaufgabe');
    const bare = await vote(id, { voterId: newVoterId() }, '203.0.113.1');
    expect(bare.status).toBe(400);
    expect(bare.body.error.code).toBe('spam_suspected');
    const forged = await vote(id, { voterId: newVoterId(), pow: 'bm90LWEtcHJvb2Y' }, '203.0.113.1');
    expect(forged.body.error.code).toBe('spam_suspected');
    expect(await votesOf(id)).toBe(0);
  });

  it('counts with a solved challenge, and a challenge works once', async () => {
    const id = await wishWithoutGuards('Vote mit Rechenaufgabe');
    const pow = await solvedPow();
    const first = await vote(id, { voterId: newVoterId(), pow }, '203.0.113.2');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ votes: 1, voted: true });
    const replayed = await vote(id, { voterId: newVoterId(), pow }, '203.0.113.2');
    expect(replayed.body.error.code).toBe('spam_suspected');
    expect(await votesOf(id)).toBe(1);
  });

  it('takes a vote back without a proof of work (it adds nothing)', async () => {
    const id = await wishWithoutGuards('Zurücknehmen ohne Rechenaufgabe');
    const voterId = newVoterId();
    await vote(id, { voterId, pow: await solvedPow() }, '203.0.113.3');
    const back = await unvote(id, { voterId }, '203.0.113.3');
    expect(back.body).toMatchObject({ votes: 0, voted: false });
  });
});

describe('the per-wish limit of one client', () => {
  it('stops a scripted loop inventing voter ids, on that wish only, and not other clients', async () => {
    const id = await wishWithoutGuards('Ziel eines Skripts');
    const other = await wishWithoutGuards('Ein anderer Wunsch');
    const limit = LIMITS.rate.votesPerWishPerWindow;
    const results = [];
    for (let i = 0; i < limit + 3; i++) {
      results.push(await vote(id, { voterId: newVoterId(), pow: await solvedPow() }, '198.51.100.66'));
    }
    expect(results.slice(0, limit).map((r) => r.status)).toEqual(Array(limit).fill(200));
    for (const refused of results.slice(limit)) {
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('rate_limited');
    }
    expect(await votesOf(id)).toBe(limit);
    // The same client may still vote on another wish; another reader on this one.
    expect(
      (await vote(other, { voterId: newVoterId(), pow: await solvedPow() }, '198.51.100.66')).status,
    ).toBe(200);
    expect((await vote(id, { voterId: newVoterId(), pow: await solvedPow() }, '198.51.100.67')).status).toBe(
      200,
    );
    expect(await votesOf(id)).toBe(limit + 1);
  });
});
