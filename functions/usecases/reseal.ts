/**
 * `npm run admin -- reseal`: every address still sealed in the legacy v1 envelope is opened with
 * the legacy master secret and sealed again with HPKE (v2); its lookup hash is computed again with
 * the hash-keys secret, and a trusted address stays trusted under the new hash.
 *
 * Idempotent: v2 items are never touched (the Scan filters them out), and each write is
 * conditional on the old sealed value. Resumable: after each page the cursor goes to `saveCursor`
 * (the CLI keeps it in a file); a run started with that cursor carries on from there.
 */
import { emailLookupHash } from '../core/privacy';
import { openEmail, sealEmail } from '../runtime/email-keys';
import { legacyKeys, lookupHashOf } from '../runtime/keys';
import type { Key } from '../store/keys';
import { carryTrust, legacySealedPage, replaceSealed } from '../store/reseal';

export interface ResealSummary {
  resealed: number;
  /** Changed by someone else between read and write (left as they are now). */
  skipped: number;
  /** Could not be opened with the legacy key (reported by key; nothing written). */
  unreadable: Key[];
  pages: number;
}

export interface ResealOptions {
  start?: Key;
  pageSize?: number;
  saveCursor?: (cursor: Key | undefined) => void | Promise<void>;
}

export async function resealLegacyEmails(options: ResealOptions = {}): Promise<ResealSummary> {
  const summary: ResealSummary = { resealed: 0, skipped: 0, unreadable: [], pages: 0 };
  const legacy = await legacyKeys();
  let start = options.start;
  do {
    const page = await legacySealedPage(start, options.pageSize ?? 100);
    for (const item of page.items) {
      let email: string;
      try {
        email = await openEmail(item.emailEnc);
      } catch {
        summary.unreadable.push(item.key);
        continue;
      }
      // Only a hash made with the legacy key is replaced; any other was already made anew.
      const rehash = item.emailHash === emailLookupHash(email, legacy.hash.emailLookup);
      const newHash = rehash ? await lookupHashOf(email) : undefined;
      // Trust first: a run interrupted between the two writes still leaves the address trusted.
      if (newHash && item.emailHash) await carryTrust(item.emailHash, newHash);
      if (await replaceSealed(item, await sealEmail(email), newHash)) summary.resealed++;
      else summary.skipped++;
    }
    summary.pages++;
    start = page.next;
    await options.saveCursor?.(start);
  } while (start);
  return summary;
}
