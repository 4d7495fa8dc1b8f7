/**
 * Double opt-in: no mail goes to a reader before she confirmed her address once, through the link
 * in a confirmation mail. Asking for it never fails the submission that asked and never tells the
 * asker anything (confirmed, limited or new: the caller's answer is the same).
 *
 * The link page: GET shows a button and changes nothing (mail scanners prefetch links), POST confirms.
 */
import { newId } from '../core/ids';
import { LIMITS } from '../core/limits';
import { clientIpHash, keyedHash } from '../core/privacy';
import { verifyToken } from '../core/tokens';
import { hashKeys, linkKey } from '../runtime/keys';
import { logger } from '../runtime/logger';
import {
  type ConfirmationPurpose,
  type ConfirmationRequest,
  confirmAddress,
  getConfirmationRequest,
  isConfirmed,
  putConfirmationRequest,
} from '../store/confirmations';
import { rateWindow } from '../store/rate-limits';

export interface ConfirmationAsk {
  emailHash: string;
  emailEnc: string;
  lang: string;
  purpose: ConfirmationPurpose;
  page?: string;
  sourceIp?: string;
}

/** Stores a confirmation request (its stream record makes the mail) unless the address is confirmed. */
export async function askForConfirmation(ask: ConfirmationAsk, now: Date): Promise<void> {
  try {
    await storeConfirmationRequest(ask, now);
  } catch (error) {
    // The submission is stored; she can tick the box again next time. Never a 5xx for this.
    logger.warn('confirmation request not stored', { errorName: (error as Error)?.name });
  }
}

async function storeConfirmationRequest(ask: ConfirmationAsk, now: Date): Promise<void> {
  if (await isConfirmed(ask.emailHash)) return;
  const { readers, rate } = LIMITS;
  const keys = await hashKeys();
  // Its own keyed hash: an erasure leaves no lookup hash behind in a counter that outlives it.
  const addressSubject = keyedHash(ask.emailHash, keys.addressRate).slice(0, 32);
  await putConfirmationRequest(
    {
      id: newId(now.getTime()),
      emailHash: ask.emailHash,
      emailEnc: ask.emailEnc,
      lang: ask.lang,
      purpose: ask.purpose,
      ...(ask.page ? { page: ask.page } : {}),
      requestedAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + readers.confirmLinkTtlSeconds,
    },
    {
      address: {
        subject: addressSubject,
        limit: readers.confirmationsPerAddressPerDay,
        window: rateWindow(now, 24 * 60 * 60),
      },
      ...(ask.sourceIp
        ? {
            client: {
              ipHash: clientIpHash(ask.sourceIp, keys.clientIp, now),
              limit: readers.confirmationsPerClientPerWindow,
              window: rateWindow(now, rate.windowSeconds),
            },
          }
        : {}),
    },
  );
}

export type ConfirmLinkState =
  | { state: 'refused'; reason: 'malformed' | 'forged' | 'expired' }
  | { state: 'confirm' | 'done'; purpose: ConfirmationPurpose }
  /** Confirmed before (the request is gone once used). */
  | { state: 'already' };

type Refused = Extract<ConfirmLinkState, { state: 'refused' }>;

async function checkConfirmLink(
  token: unknown,
  now: Date,
): Promise<Refused | { request: ConfirmationRequest | undefined }> {
  const verified = verifyToken(token, await linkKey('reader'), now);
  if (!verified.ok) return { state: 'refused', reason: verified.reason } as const;
  const { claims } = verified;
  if (claims.kind !== 'reader' || claims.action !== 'confirm') {
    return { state: 'refused', reason: 'malformed' } as const;
  }
  return { request: await getConfirmationRequest(claims.target) };
}

/** GET: what the button would do. Changes nothing. */
export async function inspectConfirmLink(token: unknown, now: Date): Promise<ConfirmLinkState> {
  const checked = await checkConfirmLink(token, now);
  if ('state' in checked) return checked;
  return checked.request ? { state: 'confirm', purpose: checked.request.purpose } : { state: 'already' };
}

/** POST: confirms the address the request was made for. A second click finds it done. */
export async function followConfirmLink(token: unknown, now: Date): Promise<ConfirmLinkState> {
  const checked = await checkConfirmLink(token, now);
  if ('state' in checked) return checked;
  if (!checked.request) return { state: 'already' };
  await confirmAddress(checked.request, now);
  return { state: 'done', purpose: checked.request.purpose };
}
