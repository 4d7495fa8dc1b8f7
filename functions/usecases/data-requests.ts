/**
 * "Meine Daten", self-service (DSGVO Art. 15, 17, 20): she enters an address; if anything is
 * stored for it, a signed link goes there by mail. The answer is the same either way, and the
 * same writes happen (rate counters), so it tells nobody whether an address is known.
 *
 * The link names the request, the request names her lookup hash: this side never sees or opens
 * an address beyond the one typed into the form (it seals it for the notifier). The link is for
 * this purpose only and for a day; opening it (GET) shows her data and changes nothing, only the
 * page's POST downloads or erases.
 */
import { newId } from '../core/ids';
import { LIMITS } from '../core/limits';
import type { Lang } from '../core/messages';
import { clientIpHash, keyedHash } from '../core/privacy';
import { verifyToken } from '../core/tokens';
import { sealEmail } from '../runtime/email-keys';
import { hashKeys, linkKey, lookupHashOf } from '../runtime/keys';
import { type DataRequest, getDataRequest, putDataRequest } from '../store/data-requests';
import { keys } from '../store/keys';
import { rateWindow } from '../store/rate-limits';
import { deleteItem, hasReaderItems, trustedSince } from '../store/readers';
import {
  collectReaderDataOf,
  type ErasureSummary,
  eraseReaderDataOf,
  type ReaderDataExport,
} from './reader-data';

/** Asks for her data link. Returns nothing on purpose: the caller's answer must not differ. */
export async function requestDataLink(
  ask: { email: string; lang: Lang; sourceIp?: string },
  now: Date,
): Promise<void> {
  const emailHash = await lookupHashOf(ask.email);
  const hashes = await hashKeys();
  const known = (await hasReaderItems(emailHash)) || (await trustedSince(emailHash)) !== null;
  const request: DataRequest | undefined = known
    ? {
        id: newId(now.getTime()),
        emailHash,
        emailEnc: await sealEmail(ask.email),
        lang: ask.lang,
        requestedAt: now.toISOString(),
        expiresAt: Math.floor(now.getTime() / 1000) + LIMITS.readers.dataLinkTtlSeconds,
      }
    : undefined;
  const { readers, rate } = LIMITS;
  await putDataRequest(request, {
    address: {
      // Its own keyed hash (as for confirmations): no lookup hash outlives an erasure in a counter.
      subject: keyedHash(emailHash, hashes.addressRate).slice(0, 32),
      limit: readers.dataRequestsPerAddressPerDay,
      window: rateWindow(now, 24 * 60 * 60),
    },
    ...(ask.sourceIp
      ? {
          client: {
            ipHash: clientIpHash(ask.sourceIp, hashes.clientIp, now),
            limit: readers.dataRequestsPerClientPerWindow,
            window: rateWindow(now, rate.windowSeconds),
          },
        }
      : {}),
  });
}

export type DataLinkRefusal = 'malformed' | 'forged' | 'expired' | 'other_purpose';

export type DataLinkState =
  | { state: 'refused'; reason: DataLinkRefusal }
  /** The request is gone: her data was erased through it, or it expired. */
  | { state: 'gone' }
  | { state: 'show'; lang: Lang; data: ReaderDataExport }
  | { state: 'erased'; lang: Lang; summary: ErasureSummary };

type Checked = Extract<DataLinkState, { state: 'refused' | 'gone' }> | { request: DataRequest; lang: Lang };

async function checkDataLink(token: unknown, now: Date): Promise<Checked> {
  const verified = verifyToken(token, await linkKey('reader'), now);
  if (!verified.ok) return { state: 'refused', reason: verified.reason };
  const { claims } = verified;
  // A confirm or unsubscribe link of hers never opens her data.
  if (claims.kind !== 'reader' || claims.action !== 'data')
    return { state: 'refused', reason: 'other_purpose' };
  const request = await getDataRequest(claims.target);
  if (!request || request.expiresAt * 1000 <= now.getTime()) return { state: 'gone' };
  return { request, lang: request.lang === 'en' ? 'en' : 'de' };
}

/** GET and the download: what is stored for her. Changes nothing. */
export async function openDataLink(token: unknown, now: Date): Promise<DataLinkState> {
  const checked = await checkDataLink(token, now);
  if ('state' in checked) return checked;
  return { state: 'show', lang: checked.lang, data: await collectReaderDataOf(checked.request.emailHash) };
}

/** POST with her confirmation: everything out (as the desk's erasure), the link's request too. */
export async function eraseByDataLink(token: unknown, now: Date): Promise<DataLinkState> {
  const checked = await checkDataLink(token, now);
  if ('state' in checked) return checked;
  const summary = await eraseReaderDataOf(checked.request.emailHash, now, 'reader');
  // The reader index may lag a moment behind; the request must go with her data in any case.
  await deleteItem(keys.dataRequest(checked.request.id));
  return { state: 'erased', lang: checked.lang, summary };
}
