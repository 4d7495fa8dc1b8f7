/**
 * Spam guards as pure functions: the honeypot, the signed form token that proves a minimum fill
 * time, and content heuristics that hold a submission for the author instead of refusing it.
 * No I/O here; the use case (usecases/guard.ts) decides what to do with the verdicts.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { canonicalBase64url } from './base64url';
import { LIMITS } from './limits';
import { SPAM_WORDS } from './spam-words';

/** Why a submission was held for moderation; the author's mail explains each (messages.ts). */
export const HOLD_REASONS = [
  'many_links',
  'spam_words',
  'all_caps',
  'akismet_spam',
  'spam_check_failed',
] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/** Anything in the field people never see means a bot filled in every input it found. */
export function isHoneypotFilled(hp: string | undefined): boolean {
  return hp !== undefined && hp.trim() !== '';
}

// ---------------------------------------------------------------------------------------------
// Form token: `v1.<issued at, unix seconds>.<nonce>.<HMAC>`, all but the time base64url.

export type FormTokenVerdict = 'ok' | 'missing' | 'forged' | 'too_fast' | 'expired';

function formTokenMac(payload: string, formKey: Buffer): Buffer {
  return createHmac('sha256', formKey).update(`form-token\n${payload}`).digest();
}

export function issueFormToken(formKey: Buffer, now: Date): string {
  const payload = `v1.${Math.floor(now.getTime() / 1000)}.${randomBytes(9).toString('base64url')}`;
  return `${payload}.${formTokenMac(payload, formKey).toString('base64url')}`;
}

/** Checks the signature first, then the age: a reader needs some seconds, a token does not live forever. */
export function checkFormToken(token: string | undefined, formKey: Buffer, now: Date): FormTokenVerdict {
  if (!token) return 'missing';
  const match = /^(v1\.(\d{1,12})\.[A-Za-z0-9_-]{1,32})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return 'forged';
  const [, payload, issuedAt, mac] = match;
  const expected = formTokenMac(payload!, formKey);
  const given = canonicalBase64url(mac!);
  if (!given || !timingSafeEqual(given, expected)) return 'forged';
  const ageSeconds = now.getTime() / 1000 - Number(issuedAt);
  if (ageSeconds < LIMITS.guards.minFillSeconds) return 'too_fast';
  if (ageSeconds > LIMITS.guards.formTokenMaxAgeSeconds) return 'expired';
  return 'ok';
}

/** The HMAC key for proof-of-work challenges, its own key derived from the form key. */
export function powHmacKey(formKey: Buffer): string {
  return createHmac('sha256', formKey).update('proof-of-work').digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Content heuristics.

const LINK = /(?:\bhttps?:\/\/|\bwww\.|\[url\b|<a\s)/gi;

export function countLinks(text: string): number {
  return text.match(LINK)?.length ?? 0;
}

/** Lower case, compatibility forms folded (fullwidth letters), every run of spaces or hyphens one space. */
function comparable(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\-_]+/g, ' ');
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whole words only: "casino bonus" is in "CASINO-Bonus!" but "viagra" is not in "viagrafalls". */
const SPAM_PATTERNS = [...new Set(SPAM_WORDS.map(comparable))].map(
  (word) => [word, new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word)}(?![\\p{L}\\p{N}])`, 'u')] as const,
);

export function findSpamWords(text: string): string[] {
  const haystack = comparable(text);
  return SPAM_PATTERNS.filter(([, pattern]) => pattern.test(haystack)).map(([word]) => word);
}

/** Shouting: enough letters, nearly all upper case. */
export function isAllCaps(text: string): boolean {
  const letters = text.match(/\p{L}/gu) ?? [];
  if (letters.length < LIMITS.guards.allCapsMinLetters) return false;
  const upper = letters.filter((letter) => /\p{Lu}/u.test(letter)).length;
  return upper / letters.length >= LIMITS.guards.allCapsShare;
}

/**
 * Reasons to hold a submission: `body` is the long text (all checks), `others` are short fields
 * such as the name or the topic (links and spam words only).
 */
export function contentHoldReasons(body: string, others: readonly (string | undefined)[] = []): HoldReason[] {
  const all = [body, ...others.filter((part): part is string => typeof part === 'string')];
  const reasons: HoldReason[] = [];
  const links = all.reduce((sum, part) => sum + countLinks(part), 0);
  if (links > LIMITS.guards.maxLinksBeforeHold) reasons.push('many_links');
  if (all.some((part) => findSpamWords(part).length > 0)) reasons.push('spam_words');
  if (isAllCaps(body)) reasons.push('all_caps');
  return reasons;
}
