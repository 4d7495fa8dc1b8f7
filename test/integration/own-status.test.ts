/**
 * POST /comments/status and /wishes/status: her browser learns, with the key it keeps for each of
 * her items, whether it still waits, is public now, or is gone, and nothing else: a wrong key or
 * another reader's id reads as gone, the answer is never kept by a cache, and nothing is written.
 */
import { LIMITS } from '../../functions/core/limits';
import { handler as comments } from '../../functions/handlers/comments';
import { handler as wishes } from '../../functions/handlers/wishes';
import { applyCommentAction } from '../../functions/store/comments';
import { eraseReaderData } from '../../functions/usecases/reader-data';
import { applyWishAction, mergeWishes } from '../../functions/usecases/wish-actions';
import { call, createTestStack, type TestStack, validComment } from '../support/stack';
import { newVoterId, validWish } from '../support/wishes';

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack({ MODERATION: 'all' });
});

const key = () => newVoterId();
const commentStatus = (json: unknown, headers: Record<string, string> = {}) =>
  call(comments, { method: 'POST', path: '/comments/status', json, headers });
const wishStatus = (json: unknown) => call(wishes, { method: 'POST', path: '/wishes/status', json });

async function heldComment(page: string) {
  const editKey = key();
  const posted = await call(comments, {
    method: 'POST',
    path: '/comments',
    json: validComment({ page, editKey }),
  });
  expect(posted.body.visible).toBe(false);
  return { id: posted.body.comment.id as string, key: editKey };
}

async function newWish(topic: string, email?: string) {
  const wishKey = key();
  const posted = await call(wishes, {
    method: 'POST',
    path: '/wishes',
    json: validWish({ topic, wishKey, ...(email ? { email } : {}) }),
  });
  expect(posted.status).toBe(201);
  return { id: posted.body.wish.id as string, key: wishKey };
}

describe('what became of her held comments', () => {
  it('says pending, then visible once approved, and gone for spam and deleted', async () => {
    const [approved, spam, deleted, waiting] = await Promise.all(
      ['a', 'b', 'c', 'd'].map(() => heldComment('/posts/status')),
    );
    const items = [approved!, spam!, deleted!, waiting!];
    const before = await commentStatus({ items });
    expect(before.status).toBe(200);
    expect(before.body.statuses).toEqual(Object.fromEntries(items.map(({ id }) => [id, 'pending'])));
    expect(before.headers['cache-control']).toBe('no-store');

    await applyCommentAction(approved!.id, 'approve', new Date());
    await applyCommentAction(spam!.id, 'spam', new Date());
    await applyCommentAction(deleted!.id, 'delete', new Date());
    const after = await commentStatus({ items });
    expect(after.body.statuses).toEqual({
      [approved!.id]: 'visible',
      [spam!.id]: 'gone',
      [deleted!.id]: 'gone',
      [waiting!.id]: 'pending',
    });
  });

  it('tells nothing without her key: a wrong key, an unknown id and a wish id all read as gone', async () => {
    const mine = await heldComment('/posts/status-foreign');
    const wish = await newWish('Ein Wunsch, kein Kommentar');
    const answer = await commentStatus({
      items: [
        { id: mine.id, key: key() },
        { id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', key: mine.key },
        { id: wish.id, key: wish.key },
      ],
    });
    expect(answer.body).toEqual({
      statuses: { [mine.id]: 'gone', '01ARZ3NDEKTSV4RRFFQ69G5FAV': 'gone', [wish.id]: 'gone' },
    });
    // Nothing of the comment itself, nor of anyone else's, is in the answer.
    expect(answer.text).not.toContain('Anna');
  });

  it('changes nothing in the table', async () => {
    const mine = await heldComment('/posts/status-readonly');
    const before = JSON.stringify(await stack.dump());
    await commentStatus({ items: [mine] });
    expect(JSON.stringify(await stack.dump())).toBe(before);
  });
});

describe('what became of her new wishes', () => {
  it('says pending while new, visible on the board or merged into a wish there, gone when declined or spam', async () => {
    const [accepted, merged, declined, spam, waiting, target] = await Promise.all(
      ['Angenommen', 'Zusammengelegt', 'Abgelehnt', 'Spam-Wunsch', 'Wartend', 'Das Original'].map((topic) =>
        newWish(`${topic} für den Statustest`),
      ),
    );
    const items = [accepted!, merged!, declined!, spam!, waiting!];
    expect((await wishStatus({ items })).body.statuses).toEqual(
      Object.fromEntries(items.map(({ id }) => [id, 'pending'])),
    );
    await applyWishAction(accepted!.id, 'accept', {}, new Date());
    await applyWishAction(target!.id, 'accept', {}, new Date());
    expect((await mergeWishes(merged!.id, target!.id, new Date())).outcome).toBe('done');
    await applyWishAction(declined!.id, 'decline', {}, new Date());
    await applyWishAction(spam!.id, 'spam', {}, new Date());
    const after = await wishStatus({ items });
    expect(after.body.statuses).toEqual({
      [accepted!.id]: 'visible',
      [merged!.id]: 'visible',
      [declined!.id]: 'gone',
      [spam!.id]: 'gone',
      [waiting!.id]: 'pending',
    });
    expect(after.headers['cache-control']).toBe('no-store');
  });

  it('a wish sent without a key, or asked about with another, reads as gone; erasure forgets the key', async () => {
    const keyless = (await call(wishes, { method: 'POST', path: '/wishes', json: validWish() })).body.wish
      .id as string;
    const email = 'erase.status@example.org';
    const erased = await newWish('Ein Wunsch, dessen Adresse gelöscht wird', email);
    const asked = { items: [{ id: keyless, key: key() }, erased] };
    expect((await wishStatus(asked)).body.statuses).toEqual({ [keyless]: 'gone', [erased.id]: 'pending' });
    // Only a keyed hash of her key is stored, as with a comment's edit key.
    expect(JSON.stringify(await stack.dump())).not.toContain(erased.key);
    await eraseReaderData(email, new Date());
    expect((await wishStatus(asked)).body.statuses[erased.id]).toBe('gone');
    expect(JSON.stringify(await stack.dump())).not.toContain(erased.key);
  });
});

describe('bad input names the field', () => {
  const ok = { id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', key: 'k'.repeat(24) };
  it.each([
    ['no items', {}, 'items', 'required'],
    ['an empty list', { items: [] }, 'items', 'required'],
    ['a string for the list', { items: 'x' }, 'items', 'wrong_type'],
    [
      'one too many',
      {
        items: Array.from({ length: LIMITS.ownStatus.maxItems + 1 }, (_, i) => ({
          ...ok,
          id: `01ARZ3NDEKTSV4RRFFQ69G${String(i).padStart(4, '0')}`,
        })),
      },
      'items',
      'too_many',
    ],
    ['the same id twice', { items: [ok, { ...ok }] }, 'items', 'duplicate'],
    ['a bad id', { items: [{ ...ok, id: '../x' }] }, 'items.id', 'invalid_id'],
    ['a short key', { items: [{ ...ok, key: 'kurz' }] }, 'items.key', 'too_short'],
    [
      'a key with other characters',
      { items: [{ ...ok, key: `${'k'.repeat(20)}/+=%` }] },
      'items.key',
      'invalid_characters',
    ],
    ['a missing key', { items: [{ id: ok.id }] }, 'items.key', 'required'],
    ['an extra field', { items: [{ ...ok, text: 'x' }] }, 'items.text', 'unknown_field'],
    ['an extra top-level field', { items: [ok], all: true }, 'all', 'unknown_field'],
  ])('%s', async (_name, json, field, code) => {
    for (const answer of [await commentStatus(json), await wishStatus(json)]) {
      expect(answer.status).toBe(400);
      expect(answer.body.error.fields).toContainEqual(expect.objectContaining({ field, code }));
    }
  });

  it('a body that is not JSON is a 415, an error in German or English as asked', async () => {
    const answer = await call(comments, {
      method: 'POST',
      path: '/comments/status',
      body: 'items=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(answer.status).toBe(415);
    const english = await commentStatus({ items: [ok, ok] }, { 'accept-language': 'en' });
    expect(english.body.error.fields[0].message).toBe('An entry appears twice in the list.');
    const german = await commentStatus({ items: [ok, ok] }, { 'accept-language': 'de' });
    expect(german.body.error.fields[0].message).toBe('Ein Eintrag steht doppelt in der Liste.');
  });
});
