/**
 * A reader edits or deletes her own comment with the edit key her browser keeps, within the edit
 * window; after it, or with another key, nothing changes. The clock is the use case's `now`.
 */

import * as v from 'valibot';
import { LIMITS } from '../../functions/core/limits';
import { NewCommentSchema } from '../../functions/core/schemas';
import { handler } from '../../functions/handlers/comments';
import { editOwnComment } from '../../functions/usecases/comment-edits';
import { submitComment } from '../../functions/usecases/comments';
import { call, createTestStack, type TestStack, validComment } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack({ MODERATION: 'none' });
});

const editKey = `${'k'.repeat(12)}EditKey_-123`;
const post = (json: unknown) => call(handler, { method: 'POST', path: '/comments', json });
const patch = (id: string, json: unknown) =>
  call(handler, { method: 'PATCH', path: `/comments/${id}`, json });
const remove = (id: string, json: unknown) =>
  call(handler, { method: 'DELETE', path: `/comments/${id}`, json });
const list = (page: string) =>
  call(handler, { method: 'GET', path: '/comments', rawQueryString: `page=${encodeURIComponent(page)}` });

describe('editing your own comment', () => {
  it('changes the text, marks it edited and keeps only a hash of the key', async () => {
    const posted = await post(validComment({ page: '/posts/edit', editKey }));
    expect(posted.status).toBe(201);
    const id = posted.body.comment.id as string;
    const edited = await patch(id, { editKey, text: 'Jetzt **richtig** geschrieben.' });
    expect(edited.status).toBe(200);
    expect(edited.body.comment).toMatchObject({ id, text: 'Jetzt **richtig** geschrieben.' });
    const shown = (await list('/posts/edit')).body.comments[0];
    expect(shown.text).toBe('Jetzt **richtig** geschrieben.');
    expect(shown.md).toEqual([['p', 'Jetzt ', ['strong', 'richtig'], ' geschrieben.']]);
    expect(shown.editedAt).toEqual(expect.any(String));
    expect(JSON.stringify(await stack.dump())).not.toContain(editKey);
  });

  it('refuses another key, a comment without key, and validates like a new comment', async () => {
    const id = (await post(validComment({ page: '/posts/edit2', editKey }))).body.comment.id as string;
    const wrong = await patch(id, { editKey: 'x'.repeat(24), text: 'Fremd geändert.' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('edit_not_allowed');
    const keyless = (await post(validComment({ page: '/posts/edit2' }))).body.comment.id as string;
    expect((await patch(keyless, { editKey, text: 'Auch nicht.' })).status).toBe(403);
    const bad = await patch(id, { editKey, text: 'x', name: 'Neuer Name' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'text', code: 'too_short' }),
        expect.objectContaining({ field: 'name', code: 'unknown_field' }),
      ]),
    );
    expect((await patch('01ARZ3NDEKTSV4RRFFQ69G5FAV', { editKey, text: 'Gibt es nicht.' })).status).toBe(404);
    expect((await patch('nope', { editKey, text: 'Gibt es nicht.' })).status).toBe(404);
    expect((await list('/posts/edit2')).body.comments.map((c: { text: string }) => c.text)).not.toContain(
      'Fremd geändert.',
    );
  });

  it('refuses an edit after the window, by the clock of the use case', async () => {
    const input = v.parse(NewCommentSchema, validComment({ page: '/posts/late', editKey }));
    const postedAt = new Date('2026-11-20T10:00:00Z');
    const { comment } = await submitComment(input, { sourceIp: '203.0.113.9', lang: 'de', now: postedAt });
    const justInTime = new Date(postedAt.getTime() + (LIMITS.comment.editWindowSeconds - 1) * 1000);
    await expect(
      editOwnComment(
        comment.id,
        { editKey, text: 'Noch rechtzeitig.' },
        { sourceIp: '203.0.113.9', lang: 'de', now: justInTime },
      ),
    ).resolves.toMatchObject({ visible: true });
    const late = new Date(postedAt.getTime() + (LIMITS.comment.editWindowSeconds + 1) * 1000);
    await expect(
      editOwnComment(
        comment.id,
        { editKey, text: 'Zu spät.' },
        { sourceIp: '203.0.113.9', lang: 'de', now: late },
      ),
    ).rejects.toMatchObject({ code: 'edit_not_allowed' });
    // Through the API, with today's clock, this week-old comment is far outside the window.
    expect((await remove(comment.id, { editKey })).status).toBe(403);
    expect((await list('/posts/late')).body.comments[0].text).toBe('Noch rechtzeitig.');
  });

  it('sends an approved comment back to the author when the edit trips a content check', async () => {
    const id = (await post(validComment({ page: '/posts/held', editKey }))).body.comment.id as string;
    const links = 'https://a.example https://b.example https://c.example https://d.example';
    const edited = await patch(id, { editKey, text: `Jetzt mit Links: ${links}` });
    expect(edited.status).toBe(200);
    expect(edited.body.visible).toBe(false);
    expect((await list('/posts/held')).body.comments).toHaveLength(0);
    const stored = (await stack.dump()).find((item) => item.id === id)!;
    expect(stored).toMatchObject({ status: 'pending', holdReasons: ['many_links'] });
  });
});

describe('deleting your own comment', () => {
  it('removes it from the page with the key, not without', async () => {
    const id = (await post(validComment({ page: '/posts/delete', editKey }))).body.comment.id as string;
    expect((await remove(id, { editKey: 'y'.repeat(20) })).status).toBe(403);
    expect((await list('/posts/delete')).body.comments).toHaveLength(1);
    const deleted = await remove(id, { editKey });
    expect(deleted.status).toBe(200);
    expect((await list('/posts/delete')).body.comments).toHaveLength(0);
    expect((await remove(id, { editKey })).status).toBe(404);
  });
});

describe('the author mark', () => {
  it('cannot be set by a reader', async () => {
    const response = await post(validComment({ page: '/posts/mark', byAuthor: true, authorLabel: 'Chefin' }));
    expect(response.status).toBe(400);
    expect(response.body.error.fields).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'byAuthor', code: 'unknown_field' })]),
    );
  });
});
