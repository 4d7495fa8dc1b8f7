import { applyWishAction } from '../../functions/usecases/wishes';
import { createTestStack } from '../support/stack';
import { acceptedWish, newVoterId, validWish, wholeBoard, wishApi } from '../support/wishes';

/** Seven public wishes with 0…6 votes (in an order unlike their age), plus some that must not show. */
const publicIds: string[] = [];
const votesOf = new Map<string, number>();
const hiddenIds: string[] = [];

beforeAll(async () => {
  await createTestStack();
  const votes = [3, 0, 6, 1, 5, 2, 4];
  for (const [index, count] of votes.entries()) {
    const id = await acceptedWish({ topic: `Öffentlicher Wunsch Nummer ${index + 1}` });
    publicIds.push(id);
    votesOf.set(id, count);
    await Promise.all(Array.from({ length: count }, () => wishApi.vote(id, newVoterId())));
  }
  await applyWishAction(publicIds[1]!, 'plan', {}, new Date());
  await applyWishAction(publicIds[2]!, 'written', { articleUrl: 'https://blog.example/a' }, new Date());
  hiddenIds.push((await wishApi.post(validWish({ topic: 'Noch nicht angenommen' }))).body.wish.id);
  const declined = (await wishApi.post(validWish({ topic: 'Abgelehnter Wunsch' }))).body.wish.id;
  await applyWishAction(declined, 'decline', {}, new Date());
  hiddenIds.push(declined);
});

describe('the public board', () => {
  it('lists the newest first, page by page, with only accepted, planned and written wishes', async () => {
    const { wishes, pages } = await wholeBoard('newest', 3);
    expect(pages).toBe(3);
    expect(wishes.map((w) => w.id)).toEqual([...publicIds].reverse());
    expect(wishes.map((w) => w.votes)).toEqual([...publicIds].reverse().map((id) => votesOf.get(id)));
    for (const id of hiddenIds) expect(wishes.map((w) => w.id)).not.toContain(id);
  });

  it('lists the most voted first, page by page, each wish once', async () => {
    const { wishes, pages } = await wholeBoard('votes', 2);
    expect(pages).toBe(4);
    expect(wishes.map((w) => w.votes)).toEqual([6, 5, 4, 3, 2, 1, 0]);
    expect(wishes.map((w) => w.id)).toEqual([...publicIds].sort((a, b) => votesOf.get(b)! - votesOf.get(a)!));
  });

  it('sorts by votes unless told otherwise, and shows each status', async () => {
    const response = await wishApi.list('limit=100');
    expect(response.status).toBe(200);
    expect(response.body.cursor).toBeNull();
    expect(response.body.wishes[0]).toMatchObject({ votes: 6, status: 'written' });
    const statuses = response.body.wishes.map((w: { status: string }) => w.status).sort();
    expect(statuses).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      'planned',
      'written',
    ]);
  });

  it('moves a wish up the ranking when it gets votes', async () => {
    const last = publicIds[1]!;
    await Promise.all(Array.from({ length: 7 }, () => wishApi.vote(last, newVoterId())));
    const top = (await wishApi.list('sort=votes&limit=1')).body.wishes[0];
    expect(top).toMatchObject({ id: last, votes: 7 });
  });

  it('refuses cursors made for the other order, forged or broken', async () => {
    const byVotes = await wishApi.list('sort=votes&limit=1');
    const byAge = await wishApi.list('sort=newest&limit=1');
    const forged = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString('base64url');
    for (const [sort, cursor] of [
      ['newest', byVotes.body.cursor],
      ['votes', byAge.body.cursor],
      ['votes', forged({ rankPk: 'BOARD' })],
      ['votes', forged({ pk: 'WISH#x', sk: 'WISH', rankPk: 'BOARD', votes: '5' })],
      ['newest', forged({ pk: 'WISH#x', sk: 'WISH', pub1pk: 'PAGE#/secret', pub1sk: 'C#1' })],
      ['votes', 'not-a-cursor'],
    ]) {
      const response = await wishApi.list(`sort=${sort}&cursor=${cursor}`);
      expect(response.status).toBe(400);
      expect(response.body.error.fields[0]).toMatchObject({ field: 'cursor', code: 'invalid_cursor' });
    }
  });

  it('names a wrong sort or limit', async () => {
    const response = await wishApi.list('sort=random&limit=101');
    expect(response.status).toBe(400);
    const fields = Object.fromEntries(
      response.body.error.fields.map((f: { field: string; code: string }) => [f.field, f.code]),
    );
    expect(fields).toEqual({ sort: 'invalid_choice', limit: 'too_large' });
  });
});
