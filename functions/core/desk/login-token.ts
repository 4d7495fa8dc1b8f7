/**
 * Desk login links and the desk's form token. A login link binds a random nonce and an expiry with
 * HMAC-SHA256 under the author link key (its own context string, so a moderation token can never
 * pass as a login link and the other way round). Single use is the use case's job: it records the
 * token's id (a hash) with a conditional write. The form token is an HMAC of the session id, so a
 * page of one session cannot post for another, and it needs no storage of its own.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { canonicalBase64url } from '../base64url';
import { LIMITS } from '../limits';
import { withReturnPath } from './return-path';

const LOGIN_CONTEXT = 'leserpost-desk-login-v1\n';
const FORM_CONTEXT = 'leserpost-desk-form-v1\n';
const LOGIN_TOKEN = /^([A-Za-z0-9_-]{22})\.([0-9a-z]{1,11})\.([A-Za-z0-9_-]{43})$/;

export type VerifiedLogin =
  | { ok: true; tokenId: string; expiresAt: number }
  | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

const hmac = (context: string, payload: string, key: Buffer) =>
  createHmac('sha256', key)
    .update(context + payload)
    .digest();

/** A fresh login link token: `<nonce>.<expiry base36>.<mac>`, about 75 url-safe characters. */
export function issueLoginToken(
  key: Buffer,
  now: Date,
  ttlSeconds = LIMITS.desk.loginLinkTtlSeconds,
): string {
  const payload = `${randomBytes(16).toString('base64url')}.${(Math.floor(now.getTime() / 1000) + ttlSeconds).toString(36)}`;
  return `${payload}.${hmac(LOGIN_CONTEXT, payload, key).toString('base64url')}`;
}

export function verifyLoginToken(token: unknown, key: Buffer, now: Date): VerifiedLogin {
  if (typeof token !== 'string') return { ok: false, reason: 'malformed' };
  const match = LOGIN_TOKEN.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, nonce, expiry, signature] = match as unknown as [string, string, string, string];
  const given = canonicalBase64url(signature);
  if (!given) return { ok: false, reason: 'malformed' };
  if (!timingSafeEqual(given, hmac(LOGIN_CONTEXT, `${nonce}.${expiry}`, key))) {
    return { ok: false, reason: 'forged' };
  }
  const expiresAt = Number.parseInt(expiry, 36);
  if (expiresAt * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, expiresAt, tokenId: createHash('sha256').update(given).digest('base64url') };
}

/** A new session id for the cookie (never stored: the table keeps its hash). */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/** What the table stores of a session id: useless as a cookie. */
export function sessionIdHash(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url');
}

/** The hidden form field of every desk form, bound to one session. */
export function formToken(sessionId: string, key: Buffer): string {
  return hmac(FORM_CONTEXT, sessionId, key).toString('base64url');
}

export function isFormTokenValid(given: unknown, sessionId: string, key: Buffer): boolean {
  if (typeof given !== 'string' || given.length !== 43) return false;
  const expected = Buffer.from(formToken(sessionId, key));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * The desk's login link in the mail, with the page she asked for (`next`): the link may be opened
 * in another browser (her phone's mail app), where nothing else remembers it.
 */
export function loginLinkUrl(deskUrl: string, token: string, next?: unknown): string {
  return withReturnPath(`${deskUrl.replace(/\/+$/, '')}/login/confirm?t=${encodeURIComponent(token)}`, next);
}
