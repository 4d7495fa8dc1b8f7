import fc from 'fast-check';
import { deriveKeys } from '../../functions/core/privacy';
import { issueToken, moderationLinkUrl, verifyToken } from '../../functions/core/tokens';

const key = deriveKeys('a'.repeat(64)).links.author;
const otherKey = deriveKeys('b'.repeat(64)).links.author;
const now = new Date('2026-11-20T10:00:00Z');
const target = '01JD0000000000000000000000';
const otherTarget = '01JD0000000000000000000001';
const approve = () => issueToken({ kind: 'comment', action: 'approve', target }, key, now);

/** Replaces one dot-separated part of a token, keeping its signature. */
function withPart(token: string, index: number, value: string): string {
  const parts = token.split('.');
  parts[index] = value;
  return parts.join('.');
}

describe('moderation link tokens', () => {
  it('verify with the claims they were issued for, url-safe and compact', () => {
    const token = approve();
    expect(token).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(token.length).toBeLessThan(120);
    const result = verifyToken(token, key, now);
    expect(result).toMatchObject({
      ok: true,
      claims: { kind: 'comment', action: 'approve', target, expiresAt: now.getTime() / 1000 + 7 * 24 * 3600 },
    });
    expect(result.ok && result.tokenId).not.toContain(token.split('.')[4]);
  });

  it('are refused as forged when the action, target, kind or expiry was changed', () => {
    const token = approve();
    expect(verifyToken(withPart(token, 1, 'spam'), key, now)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyToken(withPart(token, 2, otherTarget), key, now)).toEqual({ ok: false, reason: 'forged' });
    const later = (Number.parseInt(token.split('.')[3]!, 36) + 3600).toString(36);
    expect(verifyToken(withPart(token, 3, later), key, now)).toEqual({ ok: false, reason: 'forged' });
    const asWish = issueToken({ kind: 'wish', action: 'spam', target }, key, now);
    expect(verifyToken(withPart(asWish, 0, 'comment'), key, now)).toEqual({ ok: false, reason: 'forged' });
  });

  it('are refused as forged under another secret', () => {
    expect(verifyToken(approve(), otherKey, now)).toEqual({ ok: false, reason: 'forged' });
  });

  it('expire after seven days, and only authentic tokens are reported as expired', () => {
    const token = approve();
    const justBefore = new Date(now.getTime() + 7 * 24 * 3600 * 1000 - 1000);
    const after = new Date(now.getTime() + 7 * 24 * 3600 * 1000);
    expect(verifyToken(token, key, justBefore).ok).toBe(true);
    expect(verifyToken(token, key, after)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyToken(token, otherKey, after)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuse malformed input without throwing', () => {
    for (const input of [
      undefined,
      null,
      42,
      '',
      'abc',
      `${approve()}.x`,
      approve().slice(0, -1),
      'x'.repeat(1000),
    ]) {
      expect(verifyToken(input, key, now)).toEqual({ ok: false, reason: 'malformed' });
    }
    expect(verifyToken(withPart(approve(), 1, 'accept'), key, now)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(verifyToken(withPart(approve(), 2, 'not-an-id'), key, now)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(() => issueToken({ kind: 'comment', action: 'accept', target }, key, now)).toThrow();
  });

  it('never verify any other string', () => {
    const token = approve();
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (candidate) => {
        fc.pre(candidate !== token);
        expect(verifyToken(candidate, key, now).ok).toBe(false);
      }),
    );
    // Every single-character change, including a second spelling of the signature's last character.
    for (let index = 0; index < token.length; index++) {
      for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_') {
        if (token[index] === char || token[index] === '.') continue;
        const changed = token.slice(0, index) + char + token.slice(index + 1);
        expect(verifyToken(changed, key, now).ok).toBe(false);
      }
    }
  });

  it('go into a link on the API', () => {
    expect(moderationLinkUrl('https://api.blog.example/', 'a.b')).toBe(
      'https://api.blog.example/moderate?t=a.b',
    );
  });
});
