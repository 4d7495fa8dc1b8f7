/**
 * One-click moderation links. A token binds the kind of item, the action, the item's id and an
 * expiry with HMAC-SHA256 under the derived link key, so it cannot be turned into another action,
 * pointed at another item or stretched in time. Single use is enforced by the use case, which
 * records the token's id (a hash, never the token) with a conditional write.
 *
 * Format (url-safe, ~95 characters): `<kind>.<action>.<target>.<expiry base36>.<mac base64url>`.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalBase64url } from './base64url';
import { LIMITS } from './limits';

export const LINK_ACTIONS = {
  comment: ['approve', 'spam', 'delete', 'compliment'],
  wish: ['accept', 'decline', 'spam', 'plan', 'written'],
  /** Links in mails to readers, signed with the reader link key (never the author's). */
  reader: ['confirm', 'unsubscribe', 'unsubscribe-all', 'data'],
} as const;

export type LinkKind = keyof typeof LINK_ACTIONS;
export type CommentLinkAction = (typeof LINK_ACTIONS.comment)[number];
export type WishLinkAction = (typeof LINK_ACTIONS.wish)[number];
export type ReaderLinkAction = (typeof LINK_ACTIONS.reader)[number];

export type LinkClaims =
  | { kind: 'comment'; action: CommentLinkAction; target: string; expiresAt: number }
  | { kind: 'wish'; action: WishLinkAction; target: string; expiresAt: number };
export type ReaderLinkClaims = {
  kind: 'reader';
  action: ReaderLinkAction;
  target: string;
  expiresAt: number;
};

export type VerifiedToken =
  | { ok: true; claims: LinkClaims | ReaderLinkClaims; tokenId: string }
  | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

const TARGET = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const EXPIRY = /^[0-9a-z]{1,11}$/;
const MAC = /^[A-Za-z0-9_-]{43}$/;
/** Domain separation: this key signs nothing else, but the prefix makes the purpose explicit. */
const CONTEXT = 'leserpost-moderation-link-v1\n';
const MAX_TOKEN_CHARS = 160;

function mac(payload: string, linkKey: Buffer): Buffer {
  return createHmac('sha256', linkKey)
    .update(CONTEXT + payload)
    .digest();
}

export function isLinkAction(kind: LinkKind, action: string): boolean {
  return (LINK_ACTIONS[kind] as readonly string[]).includes(action);
}

/** Signs a link for one action on one item, valid for `ttlSeconds` (7 days by default). */
export function issueToken(
  link: { kind: LinkKind; action: string; target: string },
  linkKey: Buffer,
  now: Date,
  ttlSeconds: number = LIMITS.moderationLinkTtlSeconds,
): string {
  if (!isLinkAction(link.kind, link.action)) throw new Error(`No ${link.kind} action "${link.action}".`);
  if (!TARGET.test(link.target)) throw new Error('The target must be an item id.');
  const expiresAt = Math.floor(now.getTime() / 1000) + ttlSeconds;
  const payload = `${link.kind}.${link.action}.${link.target}.${expiresAt.toString(36)}`;
  return `${payload}.${mac(payload, linkKey).toString('base64url')}`;
}

/** Checks a token: shape first, then the signature, then the expiry (only for authentic tokens). */
export function verifyToken(token: unknown, linkKey: Buffer, now: Date): VerifiedToken {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 5) return { ok: false, reason: 'malformed' };
  const [kind, action, target, expiry, signature] = parts as [string, string, string, string, string];
  if (kind !== 'comment' && kind !== 'wish' && kind !== 'reader') return { ok: false, reason: 'malformed' };
  if (!isLinkAction(kind, action) || !TARGET.test(target) || !EXPIRY.test(expiry) || !MAC.test(signature)) {
    return { ok: false, reason: 'malformed' };
  }
  const expected = mac(`${kind}.${action}.${target}.${expiry}`, linkKey);
  const given = canonicalBase64url(signature);
  if (!given || given.length !== expected.length) {
    return { ok: false, reason: 'malformed' };
  }
  if (!timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'forged' };
  }
  const expiresAt = Number.parseInt(expiry, 36);
  if (expiresAt * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    claims: { kind, action, target, expiresAt } as LinkClaims | ReaderLinkClaims,
    // What the table remembers of a used link: a hash, useless as a link itself.
    tokenId: createHash('sha256').update(given).digest('base64url'),
  };
}

/** A link in a mail to a reader: a page of the API (`readers/confirm`, …) that asks before it acts. */
export function readerLinkUrl(apiBaseUrl: string, path: string, token: string): string {
  return `${apiBaseUrl.replace(/\/+$/, '')}/${path}?t=${encodeURIComponent(token)}`;
}

/** The link the author clicks: the confirmation page of the API. */
export function moderationLinkUrl(apiBaseUrl: string, token: string): string {
  return `${apiBaseUrl.replace(/\/+$/, '')}/moderate?t=${encodeURIComponent(token)}`;
}
