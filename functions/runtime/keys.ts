/**
 * Keys by purpose. Each caller asks for the one key its job needs, and each purpose has its own
 * secret (runtime/secret-names.ts), loaded only when asked for: reader-facing Lambdas hold the hash
 * keys and the PUBLIC sealing key (they seal, never open), link signers hold their link key, and
 * only the notifier, the desk and the admin tools hold the seed of the private key that opens
 * stored addresses (core/email-seal.ts, HPKE). Sealing and opening are in email-keys.ts: HPKE's
 * library is bundled (about 5 KB even unused) wherever its module is imported, and most groups only
 * need a hash or link key from here.
 */
import {
  deriveHashKeys,
  deriveKeys,
  deriveLinkKey,
  emailLookupHash,
  type HashKeys,
  type LinkPurpose,
} from '../core/privacy';
import { cached, secretOf } from './secrets';

export type { HashKeys, LinkPurpose };

export function hashKeys(): Promise<HashKeys> {
  return cached('hashKeys', async () => deriveHashKeys(await secretOf('hashKeys')));
}

export function linkKey(purpose: LinkPurpose): Promise<Buffer> {
  return cached(`link:${purpose}`, async () =>
    deriveLinkKey(await secretOf(purpose === 'author' ? 'authorLink' : 'readerLink'), purpose),
  );
}

/** The lookup hash of an address, the only way anything finds what a reader stored. */
export async function lookupHashOf(email: string): Promise<string> {
  return emailLookupHash(email, (await hashKeys()).emailLookup);
}

/** The keys of the one master secret of before: only the reseal migration and v1 opening use them. */
export function legacyKeys() {
  return cached('legacyKeys', async () => deriveKeys(await secretOf('legacyMaster')));
}
