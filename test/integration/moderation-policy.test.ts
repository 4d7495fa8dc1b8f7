/**
 * The site's moderation policy: hold every comment, hold first-time commenters (default), or hold
 * none; trust is earned by an approved comment and matched by the pair (keyed email hash, keyed
 * hash of the reader key her browser keeps): knowing her address alone publishes nothing.
 */
import { handler as comments } from '../../functions/handlers/comments';
import { resetConfig } from '../../functions/runtime/config';
import { moderateComment } from '../../functions/usecases/moderation';
import { call, createTestStack, type TestStack, validComment } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack({ MODERATION: 'first-time' });
});

function usePolicy(policy: 'all' | 'first-time' | 'none') {
  process.env.MODERATION = policy;
  resetConfig();
}

/** The "remember me" key of the reader's own browser (the widget makes one and keeps it). */
const HER_BROWSER = 'her-own-browser-key-0001';

async function postRaw(overrides: Record<string, unknown>) {
  const response = await call(comments, {
    method: 'POST',
    path: '/comments',
    json: validComment({ page: '/posts/policy', readerKey: HER_BROWSER, ...overrides }),
  });
  expect(response.status).toBe(201);
  return response;
}

async function post(overrides: Record<string, unknown>) {
  return (await postRaw(overrides)).body as { comment: { id: string; status: string }; visible: boolean };
}

describe('moderation policy "first-time" (the default)', () => {
  beforeAll(() => usePolicy('first-time'));

  it('holds a first comment, then trusts the email once a comment of it was approved', async () => {
    const first = await post({ email: 'clara@example.org' });
    expect(first).toMatchObject({ visible: false, comment: { status: 'pending' } });
    // Still unknown while the first one waits.
    expect((await post({ email: 'clara@example.org' })).visible).toBe(false);

    expect((await moderateComment(first.comment.id, 'approve', new Date())).outcome).toBe('done');
    // The same address, spelled differently, is the same reader.
    const later = await post({ email: '  Clara@Example.ORG ' });
    expect(later).toMatchObject({ visible: true, comment: { status: 'approved' } });
    // Someone else is still held.
    expect((await post({ email: 'dora@example.org' })).visible).toBe(false);
  });

  it('holds a trusted address without her browser key exactly like a first-timer', async () => {
    const first = await post({ email: 'ines.honest@example.org' });
    await moderateComment(first.comment.id, 'approve', new Date());
    expect((await post({ email: 'ines.honest@example.org' })).visible).toBe(true);

    // Someone who only knows her address: no key, or a key of their own.
    const impostors = [
      await postRaw({ email: 'ines.honest@example.org', readerKey: undefined }),
      await postRaw({ email: 'ines.honest@example.org', readerKey: 'somebody-elses-key-0001' }),
    ];
    const stranger = await postRaw({ email: 'nobody.known@example.org', readerKey: undefined });
    for (const impostor of impostors) {
      expect(impostor.body).toMatchObject({ visible: false, comment: { status: 'pending' } });
      // Nothing tells a known address from an unknown one: same status, headers, fields, values.
      expect(impostor.status).toBe(stranger.status);
      expect(Object.keys(impostor.headers).sort()).toEqual(Object.keys(stranger.headers).sort());
      const { id: _a, createdAt: _b, ...held } = impostor.body.comment as Record<string, unknown>;
      const { id: _c, createdAt: _d, ...unknown } = stranger.body.comment as Record<string, unknown>;
      expect(held).toEqual(unknown);
      expect(Object.keys(impostor.body).sort()).toEqual(Object.keys(stranger.body).sort());
    }
    // Not listed, and approving a comment without a key trusts no key.
    const list = await call(comments, {
      method: 'GET',
      path: '/comments',
      rawQueryString: 'page=/posts/policy',
    });
    const listed = (list.body.comments as { id: string }[]).map((c) => c.id);
    expect(listed).not.toContain(impostors[0]!.body.comment.id);
    expect(listed).not.toContain(impostors[1]!.body.comment.id);
  });

  it('trusts a second browser only after a comment from it was approved', async () => {
    const first = await post({ email: 'jule.two@example.org' });
    await moderateComment(first.comment.id, 'approve', new Date());
    const laptop = await post({ email: 'jule.two@example.org', readerKey: 'jules-laptop-key-0001' });
    expect(laptop.visible).toBe(false);
    await moderateComment(laptop.comment.id, 'approve', new Date());
    expect((await post({ email: 'jule.two@example.org', readerKey: 'jules-laptop-key-0001' })).visible).toBe(
      true,
    );
    expect((await post({ email: 'jule.two@example.org' })).visible).toBe(true);
    // A comment approved without any key (she did not tick "remember me") trusts nothing new.
    const bare = await post({ email: 'kai.nokey@example.org', readerKey: undefined });
    await moderateComment(bare.comment.id, 'approve', new Date());
    expect((await post({ email: 'kai.nokey@example.org', readerKey: undefined })).visible).toBe(false);
  });

  it('stores only a keyed hash of the reader key', async () => {
    const first = await post({ email: 'lore.hash@example.org' });
    await moderateComment(first.comment.id, 'approve', new Date());
    expect(JSON.stringify(await stack.dump())).not.toContain(HER_BROWSER);
  });

  it('keeps trust as a keyed hash, never as the address', async () => {
    const first = await post({ email: 'erika.trust@example.org' });
    await moderateComment(first.comment.id, 'approve', new Date());
    const trust = (await stack.dump()).filter((item) => String(item.pk).startsWith('TRUST#'));
    expect(trust.length).toBeGreaterThan(0);
    expect(JSON.stringify(trust)).not.toMatch(/erika|example\.org/i);
  });

  it('does not trust an address whose comment went to spam', async () => {
    const first = await post({ email: 'spammer@example.org' });
    await moderateComment(first.comment.id, 'spam', new Date());
    expect((await post({ email: 'spammer@example.org' })).visible).toBe(false);
  });

  it('trusts after a compliment too (it approves)', async () => {
    const first = await post({ email: 'fan@example.org' });
    expect((await moderateComment(first.comment.id, 'compliment', new Date())).outcome).toBe('done');
    expect((await post({ email: 'fan@example.org' })).visible).toBe(true);
  });

  it('still holds a trusted reader when the content looks like spam', async () => {
    const first = await post({ email: 'linkfreundin@example.org' });
    await moderateComment(first.comment.id, 'approve', new Date());
    const links = Array.from({ length: 5 }, (_, i) => `https://shop${i}.example/angebot`).join(' ');
    const held = await post({ email: 'linkfreundin@example.org', text: `Schau mal: ${links}` });
    expect(held.visible).toBe(false);
    const stored = (await stack.dump()).find((item) => item.pk === `COMMENT#${held.comment.id}`)!;
    expect(stored.holdReasons).toEqual(expect.arrayContaining([expect.any(String)]));
  });
});

describe('moderation policy "all"', () => {
  beforeAll(() => usePolicy('all'));

  it('holds even a trusted reader', async () => {
    usePolicy('first-time');
    const first = await post({ email: 'gisela@example.org' });
    await moderateComment(first.comment.id, 'approve', new Date());
    expect((await post({ email: 'gisela@example.org' })).visible).toBe(true);
    usePolicy('all');
    expect((await post({ email: 'gisela@example.org' })).visible).toBe(false);
  });
});

describe('moderation policy "none"', () => {
  beforeAll(() => usePolicy('none'));

  it('shows a new reader at once', async () => {
    const comment = await post({ email: 'hanna.new@example.org' });
    expect(comment).toMatchObject({ visible: true, comment: { status: 'approved' } });
    const list = await call(comments, {
      method: 'GET',
      path: '/comments',
      rawQueryString: 'page=/posts/policy',
    });
    expect((list.body.comments as { id: string }[]).map((c) => c.id)).toContain(comment.comment.id);
  });
});
