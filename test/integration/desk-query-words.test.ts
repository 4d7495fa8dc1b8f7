/**
 * The desk's pages read notices from their query (`?done=1`, `?problem=…`, `?compliment=…`) and
 * look them up in their texts. A word that every object has (`constructor`, `__proto__`) once
 * turned the wish board into a 500; every page now shows it as nothing or as its general notice.
 */
import { issueLoginToken } from '../../functions/core/desk/login-token';
import { handler as comments } from '../../functions/handlers/comments';
import { linkKey } from '../../functions/runtime/keys';
import { logInWithLink } from '../../functions/usecases/desk';
import { DESK_URL, deskGet } from '../support/desk';
import { call, createTestStack, validComment } from '../support/stack';

const OBJECT_WORDS = ['constructor', '__proto__', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];
const QUERY_NAMES = ['done', 'problem', 'compliment', 'status'];
let session: string;
let commentId: string;

beforeAll(async () => {
  await createTestStack({ DESK_URL, MODERATION: 'none' });
  const login = await logInWithLink(issueLoginToken(await linkKey('author'), new Date()), new Date());
  if (!login.ok) throw new Error('no session');
  session = login.sessionId;
  const posted = await call(comments, {
    method: 'POST',
    path: '/comments',
    json: validComment({ page: '/posts/wort' }),
  });
  if (posted.status !== 201) throw new Error(posted.text);
  commentId = posted.body.comment.id;
});

const PAGES = [
  '/desk',
  '/desk/comments',
  '/desk/comments/{comment}',
  '/desk/wishes',
  '/desk/compliments',
  '/desk/readers',
  '/desk/settings',
  '/desk/import',
  '/desk/backup',
];

test.each(PAGES)('%s shows a word every object has like any unknown word', async (page) => {
  const path = page.replace('{comment}', commentId);
  const plain = await deskGet(`${path}?problem=kein_solches_wort`, session);
  expect(plain.status).toBe(200);
  for (const name of QUERY_NAMES) {
    for (const word of OBJECT_WORDS) {
      const response = await deskGet(`${path}?${name}=${word}`, session);
      expect({ name, word, status: response.status }).toEqual({ name, word, status: 200 });
      expect(response.text).not.toMatch(/function |\[native code\]|\[object Object\]/);
    }
  }
});
