/** A table with one visible comment and one public wish, so generated ids can hit real items. */
import { handler as comments } from '../../functions/handlers/comments';
import { handler as wishes } from '../../functions/handlers/wishes';
import { applyWishAction } from '../../functions/usecases/wishes';
import { call, createTestStack, resetRuntime, validComment } from '../support/stack';
import { validWish } from '../support/wishes';
import type { Fixtures } from './requests';

export async function propertyStack(env: Record<string, string> = {}) {
  const stack = await createTestStack({ MODERATION: 'none' });
  const comment = await call(comments, {
    method: 'POST',
    path: '/comments',
    json: validComment({ page: '/posts/property' }),
  });
  const wish = await call(wishes, { method: 'POST', path: '/wishes', json: validWish() });
  await applyWishAction(wish.body.wish.id, 'accept', {}, new Date());
  // The fixtures are in place; now the configuration under test.
  Object.assign(process.env, env);
  resetRuntime();
  const fixtures: Fixtures = { commentId: comment.body.comment.id, wishId: wish.body.wish.id };
  return { stack, fixtures };
}
