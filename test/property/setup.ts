/** A table with one visible comment and one public wish, so generated ids can hit real items. */
import { handler as comments } from '../../functions/handlers/comments';
import { handler as wishes } from '../../functions/handlers/wishes';
import { applyWishAction } from '../../functions/usecases/wishes';
import { call, createTestStack, resetRuntime, validComment } from '../support/stack';
import { validWish } from '../support/wishes';
import type { Fixtures } from './requests';

/** The keys the first comment and wish were sent with: with them, their owner's browser learns their status. */
const OWN_KEYS = { comment: 'property-comment-key-0001', wish: 'property-wish-key-00000001' };

export async function propertyStack(env: Record<string, string> = {}) {
  const stack = await createTestStack({ MODERATION: 'none' });
  const comment = await call(comments, {
    method: 'POST',
    path: '/comments',
    json: validComment({ page: '/posts/property', editKey: OWN_KEYS.comment }),
  });
  const wish = await call(wishes, {
    method: 'POST',
    path: '/wishes',
    json: validWish({ wishKey: OWN_KEYS.wish }),
  });
  await applyWishAction(wish.body.wish.id, 'accept', {}, new Date());
  // Two of each listing at least, so that a page of one has a cursor.
  for (const page of ['/posts/property', '/posts/other', '/posts/other'])
    await call(comments, { method: 'POST', path: '/comments', json: validComment({ page }) });
  const second = await call(wishes, { method: 'POST', path: '/wishes', json: validWish() });
  await applyWishAction(second.body.wish.id, 'accept', {}, new Date());
  // One real cursor of each listing: valid only for the listing that made it.
  const cursorOf = async (handler: typeof comments, path: string, query: string) =>
    (await call(handler, { method: 'GET', path, rawQueryString: `${query}&limit=1` })).body.cursor as string;
  const cursors = await Promise.all([
    cursorOf(comments, '/comments', 'page=%2Fposts%2Fproperty'),
    cursorOf(comments, '/comments', 'page=%2Fposts%2Fother&order=newest'),
    cursorOf(wishes, '/wishes', 'sort=votes'),
    cursorOf(wishes, '/wishes', 'sort=newest'),
  ]);
  // The fixtures are in place; now the configuration under test.
  Object.assign(process.env, env);
  resetRuntime();
  const fixtures: Fixtures = {
    commentId: comment.body.comment.id,
    wishId: wish.body.wish.id,
    cursors: cursors.filter(Boolean),
    ownKeys: OWN_KEYS,
  };
  return { stack, fixtures };
}
