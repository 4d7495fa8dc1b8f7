/**
 * Proof of work with ALTCHA (altcha-lib, the classic v1 scheme): the server picks a secret number
 * n ≤ maxnumber and sends SHA-256(salt + n) with an HMAC signature; the browser finds n by trying
 * 0, 1, 2, … (functions/core/pow-solve.ts, Web Crypto only) and sends the solution back as
 * base64(JSON {algorithm, challenge, number, salt, signature}). The salt carries the expiry, so a
 * challenge cannot be stretched; that it is used only once is the store's job (store/challenges.ts).
 */
import { createChallenge, extractParams, verifySolution } from 'altcha-lib/v1';
import type { Challenge, Payload } from 'altcha-lib/v1/types';
import * as v from 'valibot';
import { LIMITS } from './limits';

export type PowChallenge = Challenge;

export async function createPowChallenge(hmacKey: string, maxNumber: number, now: Date): Promise<Challenge> {
  return createChallenge({
    algorithm: 'SHA-256',
    hmacKey,
    maxNumber,
    expires: new Date(now.getTime() + LIMITS.guards.powChallengeTtlSeconds * 1000),
  });
}

const hex64 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));
const PayloadSchema = v.object({
  algorithm: v.literal('SHA-256'),
  challenge: hex64,
  number: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(LIMITS.guards.powMaxNumberRange.max)),
  salt: v.pipe(v.string(), v.minLength(8), v.maxLength(200)),
  signature: hex64,
});

export type PowVerdict =
  | { ok: true; challenge: string; expiresAt: number }
  | { ok: false; reason: 'missing' | 'malformed' | 'expired' | 'invalid' };

/** Checks a solution's form, expiry and signature; says nothing yet about replays. */
export async function verifyPow(
  solution: string | undefined,
  hmacKey: string,
  now: Date,
): Promise<PowVerdict> {
  if (!solution) return { ok: false, reason: 'missing' };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(solution, 'base64').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const parsed = v.safeParse(PayloadSchema, decoded);
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  const payload: Payload = parsed.output;
  const expiresAt = Number(extractParams(payload).expires);
  if (!Number.isInteger(expiresAt)) return { ok: false, reason: 'malformed' };
  if (expiresAt * 1000 < now.getTime()) return { ok: false, reason: 'expired' };
  if (!(await verifySolution(payload, hmacKey, true))) return { ok: false, reason: 'invalid' };
  return { ok: true, challenge: payload.challenge, expiresAt };
}
