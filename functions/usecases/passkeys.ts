/**
 * Passkeys as a second way into the desk, besides the mail link. She adds one while logged in
 * (settings), then signs in with it without typing anything (a discoverable credential). Every
 * challenge is stored, single use, short-lived and bound: a registration challenge to her session,
 * a login challenge to the attempt's cookie. The relying party is the desk's own host and origin.
 * WebAuthn's checks are @simplewebauthn/server's, loaded only when a passkey route runs (it is
 * about 300 KB that the other desk pages need not evaluate on a cold start).
 */
import { createHash, randomBytes } from 'node:crypto';
import { sessionIdHash } from '../core/desk/login-token';
import {
  type ClientData,
  parseLoginAnswer,
  parseRegistrationAnswer,
  type Refusal,
  type RegistrationAnswer,
  relyingParty,
} from '../core/desk/passkey-response';
import { LIMITS } from '../core/limits';
import { clientIpHash } from '../core/privacy';
import { config } from '../runtime/config';
import { hashKeys } from '../runtime/keys';
import {
  type ChallengePurpose,
  deletePasskey,
  getPasskey,
  listPasskeys,
  putChallenge,
  putPasskey,
  recordPasskeyUse,
  type StoredPasskey,
  takeChallenge,
} from '../store/passkeys';
import { rateCounterIncrement, rateWindow, scaledLimit } from '../store/rate-limits';
import type { TransactItem } from '../store/transact';
import { startSession } from './desk';
import { DomainError } from './errors';

export type { Refusal as PasskeyRefusal } from '../core/desk/passkey-response';
export type { StoredPasskey } from '../store/passkeys';

const webauthn = () => import('@simplewebauthn/server');
const hash = (value: string) => createHash('sha256').update(value).digest('base64url');
const epoch = (date: Date) => Math.floor(date.getTime() / 1000);
const refuse = (field: string, code: string): Refusal => ({ ok: false, field, code });
/** The desk has one user (her; further desk addresses share the desk): one fixed user handle. */
const USER_ID = new TextEncoder().encode('leserpost-desk');
const ATTEMPT = /^[A-Za-z0-9_-]{43}$/;
const PASSKEY_ID = /^[A-Za-z0-9_-]{43}$/;

/** Whether passkeys can work where the desk runs (not on an IP address). */
export const passkeysPossible = () => relyingParty(config().deskUrl).possible;

async function issueChallenge(
  purpose: ChallengePurpose,
  boundTo: string,
  now: Date,
  counters: TransactItem[] = [],
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const challenge = new Uint8Array(randomBytes(32));
  const encoded = Buffer.from(challenge).toString('base64url');
  const stored = await putChallenge(
    hash(encoded),
    { challenge: encoded, purpose, boundTo, expiresAt: epoch(now) + LIMITS.desk.passkeyChallengeTtlSeconds },
    counters,
  );
  return stored ? challenge : undefined;
}

/**
 * The challenge the answer signed, taken out of the table (so it never works twice) when it was
 * issued for this ceremony and this session or attempt, and has not expired.
 */
async function takeFittingChallenge(
  clientData: ClientData,
  purpose: ChallengePurpose,
  boundTo: string,
  now: Date,
): Promise<Refusal | { ok: true; challenge: string }> {
  if (clientData.origin !== relyingParty(config().deskUrl).origin)
    return refuse('credential.response.clientDataJSON.origin', 'other_origin');
  const field = 'credential.response.clientDataJSON.challenge';
  const stored = await takeChallenge(hash(clientData.challenge));
  if (!stored || stored.purpose !== purpose) return refuse(field, 'unknown_or_used');
  if (stored.expiresAt <= epoch(now)) return refuse(field, 'expired');
  if (stored.boundTo !== boundTo) return refuse(field, 'other_session');
  return { ok: true, challenge: stored.challenge };
}

/** What the browser needs to create a passkey (navigator.credentials.create), for this session. */
export async function registrationOptions(sessionId: string, userName: string, now: Date) {
  const existing = await listPasskeys(LIMITS.desk.passkeysMax);
  if (existing.length >= LIMITS.desk.passkeysMax) return refuse('passkeys', 'too_many');
  const { rpID } = relyingParty(config().deskUrl);
  const challenge = (await issueChallenge('register', sessionIdHash(sessionId), now))!;
  const options = await (await webauthn()).generateRegistrationOptions({
    rpName: config().siteName,
    rpID,
    userID: USER_ID,
    userName,
    userDisplayName: userName,
    challenge,
    timeout: 60_000,
    attestationType: 'none',
    // The same device twice is refused by the browser itself.
    excludeCredentials: existing.map((passkey) => ({
      id: passkey.credentialId,
      ...(passkey.transports?.length ? { transports: passkey.transports } : {}),
    })),
    // Discoverable, so signing in needs no name typed; verification (PIN, face) where the device can.
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
  });
  return { ok: true as const, options };
}

/** Checks the name she gave a passkey: one line, not empty, not too long. */
export function checkPasskeyName(raw: string): Refusal | { ok: true; name: string } {
  const name = raw.trim();
  if (!name) return refuse('name', 'required');
  if (name.length > LIMITS.desk.passkeyNameMaxChars) return refuse('name', 'too_long');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(name)) return refuse('name', 'invalid');
  return { ok: true, name };
}

/** Stores a new passkey after verifying the browser's answer; nothing is stored when a check fails. */
export async function addPasskey(
  sessionId: string,
  rawName: string,
  rawAnswer: string,
  now: Date,
): Promise<Refusal | { ok: true; passkey: StoredPasskey }> {
  const named = checkPasskeyName(rawName);
  if (!named.ok) return named;
  const parsed = parseRegistrationAnswer(rawAnswer);
  if (!parsed.ok) return parsed;
  const taken = await takeFittingChallenge(parsed.clientData, 'register', sessionIdHash(sessionId), now);
  if (!taken.ok) return taken;
  const { rpID, origin } = relyingParty(config().deskUrl);
  let info: Awaited<ReturnType<typeof verifyRegistration>>;
  try {
    info = await verifyRegistration(parsed.answer, taken.challenge, origin, rpID);
  } catch {
    return refuse('credential', 'not_verified');
  }
  if (!info) return refuse('credential', 'not_verified');
  const passkey: StoredPasskey = {
    id: hash(info.credential.id),
    credentialId: info.credential.id,
    publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
    counter: info.credential.counter,
    ...(parsed.answer.response.transports.length ? { transports: parsed.answer.response.transports } : {}),
    name: named.name,
    createdAt: now.toISOString(),
    backedUp: info.credentialBackedUp,
  };
  try {
    await putPasskey(passkey);
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException')
      return refuse('credential.id', 'already_added');
    throw error;
  }
  return { ok: true, passkey };
}

async function verifyRegistration(
  response: RegistrationAnswer,
  expectedChallenge: string,
  expectedOrigin: string,
  expectedRPID: string,
) {
  const result = await (await webauthn()).verifyRegistrationResponse({
    response,
    expectedChallenge,
    expectedOrigin,
    expectedRPID,
    requireUserVerification: false,
  });
  return result.verified ? result.registrationInfo : undefined;
}

/**
 * What the browser needs to sign in (navigator.credentials.get) and the attempt id for the cookie
 * that binds the challenge to this browser. No credential is named: the device offers hers.
 */
export async function loginOptions(now: Date, sourceIp = '') {
  const attempt = randomBytes(32).toString('base64url');
  // Anyone may ask (no session yet): challenges per client IP are limited, in the same transaction.
  const limit = scaledLimit(LIMITS.desk.passkeyLoginOptionsPerClientPerWindow);
  const window = rateWindow(now, LIMITS.rate.windowSeconds);
  const counters =
    limit !== undefined && sourceIp
      ? [
          rateCounterIncrement(
            'passkey-login-ip',
            clientIpHash(sourceIp, (await hashKeys()).clientIp, now),
            limit,
            window,
          ),
        ]
      : [];
  const challenge = await issueChallenge('login', hash(attempt), now, counters);
  if (!challenge)
    throw new DomainError(
      'rate_limited',
      [{ field: 'passkey', code: 'passkey_login_limited' }],
      window.secondsLeft,
    );
  const options = await (await webauthn()).generateAuthenticationOptions({
    rpID: relyingParty(config().deskUrl).rpID,
    challenge,
    timeout: 60_000,
    userVerification: 'preferred',
  });
  return { options, attempt };
}

/** Signs in with a passkey: a new session like the mail link's, or why not (nothing stored). */
export async function logInWithPasskey(
  attempt: string | undefined,
  rawAnswer: string,
  now: Date,
): Promise<Refusal | { ok: true; sessionId: string }> {
  const parsed = parseLoginAnswer(rawAnswer);
  if (!parsed.ok) return parsed;
  if (!attempt || !ATTEMPT.test(attempt)) return refuse('attempt', 'missing');
  const taken = await takeFittingChallenge(parsed.clientData, 'login', hash(attempt), now);
  if (!taken.ok) return taken;
  const passkey = await getPasskey(hash(parsed.answer.id));
  if (!passkey) return refuse('credential.id', 'unknown_passkey');
  // A discoverable passkey names its user: only the desk's own (a passkey made for this desk).
  if (parsed.answer.response.userHandle !== Buffer.from(USER_ID).toString('base64url'))
    return refuse('credential.response.userHandle', 'not_verified');
  const { rpID, origin } = relyingParty(config().deskUrl);
  let newCounter: number;
  try {
    const result = await (await webauthn()).verifyAuthenticationResponse({
      response: parsed.answer,
      expectedChallenge: taken.challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')),
        counter: passkey.counter,
        ...(passkey.transports ? { transports: passkey.transports as never } : {}),
      },
      requireUserVerification: false,
    });
    if (!result.verified) return refuse('credential', 'not_verified');
    newCounter = result.authenticationInfo.newCounter;
  } catch {
    return refuse('credential', 'not_verified');
  }
  // A copy of the key that signed with an old counter, or a use at the same moment: no session.
  if (!(await recordPasskeyUse(passkey.id, passkey.counter, newCounter, now)))
    return refuse('credential', 'not_verified');
  return { ok: true, sessionId: await startSession(now) };
}

/** Her passkeys for the settings page, oldest first. */
export function loadPasskeys(): Promise<StoredPasskey[]> {
  return listPasskeys(LIMITS.desk.passkeysMax);
}

/** Removes one passkey; the device keeps it, but it opens the desk no more. */
export async function removePasskey(id: string): Promise<boolean> {
  return PASSKEY_ID.test(id) && (await deletePasskey(id));
}
