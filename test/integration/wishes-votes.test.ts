import { getWish, markMerged } from '../../functions/store/wishes';
import { applyWishAction, mergeWishes } from '../../functions/usecases/wishes';
import { createTestStack, type TestStack } from '../support/stack';
import { acceptedWish, newVoterId, validWish, wholeBoard, wishApi } from '../support/wishes';

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack();
});

/** The wish's counter and the vote items that exist for it, straight from the table. */
async function tally(id: string) {
  const items = await stack.dump();
  const wish = items.find((item) => item.pk === `WISH#${id}` && item.sk === 'WISH');
  const votes = items.filter((item) => item.pk === `WISH#${id}` && String(item.sk).startsWith('VOTE#'));
  return { counter: Number(wish?.votes), storedVotes: votes.length, voters: votes.map((v) => String(v.sk)) };
}

const codes = (responses: { status: number; body: any }[]) =>
  responses.map((r) => (r.status === 200 ? 'ok' : r.body.error.code)).sort();

describe('voting', () => {
  it('counts one vote per voter and takes it back', async () => {
    const id = await acceptedWish();
    const voter = newVoterId();
    const first = await wishApi.vote(id, voter);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ wishId: id, votes: 1, voted: true });
    const second = await wishApi.vote(id, voter);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('already_voted');
    expect((await wishApi.vote(id, newVoterId())).body.votes).toBe(2);
    const back = await wishApi.unvote(id, voter);
    expect(back.status).toBe(200);
    expect(back.body).toEqual({ wishId: id, votes: 1, voted: false });
    const again = await wishApi.unvote(id, voter);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('not_voted');
    expect((await wishApi.vote(id, voter)).body.votes).toBe(2);
    expect(await tally(id)).toMatchObject({ counter: 2, storedVotes: 2 });
  });

  it('stores no voter id, only a keyed hash of it', async () => {
    const id = await acceptedWish();
    const voter = newVoterId();
    await wishApi.vote(id, voter);
    const dump = JSON.stringify(await stack.dump());
    expect(dump).not.toContain(voter);
    expect((await tally(id)).voters[0]).toMatch(/^VOTE#[A-Za-z0-9_-]{43}$/);
  });

  it('finds no wish that is unknown, new or not a wish id', async () => {
    const fresh = (await wishApi.post(validWish())).body.wish.id;
    for (const id of [fresh, '01ARZ3NDEKTSV4RRFFQ69G5FAV', 'nope']) {
      const vote = await wishApi.vote(id, newVoterId());
      expect(vote.status).toBe(404);
      expect(vote.body.error.code).toBe('wish_not_found');
      expect((await wishApi.unvote(id, newVoterId())).status).toBe(404);
    }
    expect((await stack.dump()).some((item) => item.pk === 'WISH#01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBe(false);
    expect(await tally(fresh)).toMatchObject({ counter: 0, storedVotes: 0 });
  });

  it('names a bad voter id', async () => {
    const id = await acceptedWish();
    for (const [voterId, code] of [
      [undefined, 'required'],
      ['short', 'too_short'],
      ['x'.repeat(65), 'too_long'],
      [`${'a'.repeat(20)}<script>`, 'invalid_characters'],
    ] as const) {
      const response = await wishApi.vote(id, voterId as string);
      expect(response.status).toBe(400);
      expect(response.body.error.fields).toEqual([expect.objectContaining({ field: 'voterId', code })]);
    }
    expect(await tally(id)).toMatchObject({ counter: 0, storedVotes: 0 });
  });
});

describe('concurrent votes', () => {
  it('counts 40 distinct voters at once exactly', async () => {
    const id = await acceptedWish();
    const responses = await Promise.all(Array.from({ length: 40 }, () => wishApi.vote(id, newVoterId())));
    expect(codes(responses)).toEqual(Array(40).fill('ok'));
    expect(await tally(id)).toMatchObject({ counter: 40, storedVotes: 40 });
  });

  it('counts one voter clicking 40 times at once once', async () => {
    const id = await acceptedWish();
    const voter = newVoterId();
    const responses = await Promise.all(Array.from({ length: 40 }, () => wishApi.vote(id, voter)));
    expect(codes(responses)).toEqual([...Array(39).fill('already_voted'), 'ok']);
    expect(await tally(id)).toMatchObject({ counter: 1, storedVotes: 1 });
  });

  it('takes back each vote once, however often and however many at once', async () => {
    const id = await acceptedWish();
    const voters = Array.from({ length: 20 }, () => newVoterId());
    await Promise.all(voters.map((voter) => wishApi.vote(id, voter)));
    const unvotes = await Promise.all([
      ...voters.slice(0, 10).map((voter) => wishApi.unvote(id, voter)),
      ...Array.from({ length: 10 }, () => wishApi.unvote(id, voters[10]!)),
    ]);
    expect(codes(unvotes).filter((code) => code === 'ok')).toHaveLength(11);
    expect(codes(unvotes).filter((code) => code === 'not_voted')).toHaveLength(9);
    expect(await tally(id)).toMatchObject({ counter: 9, storedVotes: 9 });
  });

  it('never lets the count drift when votes and unvotes of the same voters race', async () => {
    const id = await acceptedWish();
    const voters = Array.from({ length: 8 }, () => newVoterId());
    await Promise.all(
      voters.flatMap((voter) => [
        wishApi.vote(id, voter),
        wishApi.unvote(id, voter),
        wishApi.vote(id, voter),
        wishApi.unvote(id, voter),
        wishApi.vote(id, voter),
      ]),
    );
    const { counter, storedVotes } = await tally(id);
    expect(counter).toBe(storedVotes);
    expect(storedVotes).toBeLessThanOrEqual(8);
  });
});

describe('merging a duplicate', () => {
  it('moves the votes, counts a voter who voted for both once, and takes the duplicate off the board', async () => {
    const original = await acceptedWish({ topic: 'Die schwierigste Kundin' });
    const duplicate = await acceptedWish({ topic: 'Schwierige Kundinnen' });
    const both = [newVoterId(), newVoterId()];
    const onlyOriginal = newVoterId();
    const onlyDuplicate = [newVoterId(), newVoterId(), newVoterId()];
    await Promise.all([
      ...both.flatMap((voter) => [wishApi.vote(original, voter), wishApi.vote(duplicate, voter)]),
      wishApi.vote(original, onlyOriginal),
      ...onlyDuplicate.map((voter) => wishApi.vote(duplicate, voter)),
    ]);
    expect((await tally(original)).counter).toBe(3);
    expect((await tally(duplicate)).counter).toBe(5);

    const merged = await mergeWishes(duplicate, original, new Date());
    expect(merged).toMatchObject({ outcome: 'done', moved: 3, shared: 2, wish: { id: original, votes: 6 } });
    expect(await tally(original)).toMatchObject({ counter: 6, storedVotes: 6 });
    expect(await tally(duplicate)).toMatchObject({ counter: 0, storedVotes: 0 });
    expect(await getWish(duplicate)).toMatchObject({ status: 'merged', mergedInto: original });
    for (const sort of ['votes', 'newest'] as const) {
      const ids = (await wholeBoard(sort, 50)).wishes.map((w) => w.id);
      expect(ids).toContain(original);
      expect(ids).not.toContain(duplicate);
    }
    expect((await wishApi.vote(duplicate, newVoterId())).status).toBe(404);

    // Moved votes belong to their voters on the original: they count once and can be taken back.
    expect((await wishApi.vote(original, onlyDuplicate[0]!)).body.error.code).toBe('already_voted');
    expect((await wishApi.vote(original, both[0]!)).body.error.code).toBe('already_voted');
    expect((await wishApi.unvote(original, onlyDuplicate[1]!)).body).toMatchObject({
      votes: 5,
      voted: false,
    });

    const before = JSON.stringify(await stack.dump());
    expect(await mergeWishes(duplicate, original, new Date())).toMatchObject({
      outcome: 'already',
      moved: 0,
    });
    expect(JSON.stringify(await stack.dump())).toBe(before);
  });

  it('moves many votes in bounded transactions and finishes after a crash', async () => {
    const original = await acceptedWish();
    const duplicate = await acceptedWish();
    const voters = Array.from({ length: 110 }, () => newVoterId());
    for (let i = 0; i < voters.length; i += 25) {
      await Promise.all(voters.slice(i, i + 25).map((voter) => wishApi.vote(duplicate, voter)));
    }
    await Promise.all(voters.slice(0, 30).map((voter) => wishApi.vote(original, voter)));
    await Promise.all(Array.from({ length: 5 }, () => wishApi.vote(original, newVoterId())));

    // A crash right after the first step: the duplicate is marked, no vote has moved yet.
    expect(await markMerged((await getWish(duplicate))!, original, new Date())).toBe('done');
    expect(await tally(duplicate)).toMatchObject({ counter: 110, storedVotes: 110 });

    const resumed = await mergeWishes(duplicate, original, new Date());
    expect(resumed).toMatchObject({ outcome: 'done', moved: 80, shared: 30 });
    expect(await tally(original)).toMatchObject({ counter: 115, storedVotes: 115 });
    expect(await tally(duplicate)).toMatchObject({ counter: 0, storedVotes: 0 });
  });

  it('refuses to merge a wish into itself, into a refused wish or into a second original', async () => {
    const a = await acceptedWish();
    const b = await acceptedWish();
    const c = await acceptedWish();
    expect(await mergeWishes(a, a, new Date())).toEqual({ outcome: 'invalid', reason: 'same_wish' });
    await applyWishAction(c, 'decline', {}, new Date());
    expect(await mergeWishes(a, c, new Date())).toEqual({ outcome: 'invalid', reason: 'original_not_open' });
    expect((await mergeWishes(a, b, new Date())).outcome).toBe('done');
    expect(await mergeWishes(a, c, new Date())).toEqual({ outcome: 'invalid', reason: 'merged_elsewhere' });
    expect(await mergeWishes(b, a, new Date())).toEqual({ outcome: 'invalid', reason: 'original_not_open' });
    expect((await mergeWishes('01ARZ3NDEKTSV4RRFFQ69G5FAV', b, new Date())).outcome).toBe('not_found');
    expect((await applyWishAction(a, 'accept', {}, new Date())).outcome).toBe('invalid');
  });
});
