/**
 * Keys by purpose. Each caller asks for the one key its job needs, and each purpose has its own
 * secret (runtime/secret-names.ts), loaded only when asked for: reader-facing Lambdas hold the hash
 * keys and the PUBLIC sealing key (they seal, never open), link signers hold their link key, and
 * only the notifier, the desk and the admin tools hold the seed of the private key that opens
 * stored addresses (core/email-seal.ts, HPKE).
 */
import {
  emailKeyPair,
  emailPublicKeyOf,
  envelopeVersion,
  openEmailWith,
  sealEmailTo,
} from '../core/email-seal';
import {
  decryptEmail,
  deriveHashKeys,
  deriveKeys,
  deriveLinkKey,
  emailLookupHash,
  type HashKeys,
  type LinkPurpose,
} from '../core/privacy';
import { EMAIL_SEAL_PUBLIC_KEY_ENV } from './secret-names';
import { cached, hasSecret, secretOf } from './secrets';

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

/** The public sealing key: given (reader-facing Lambdas), or derived where the seed is at hand. */
function publicKey(): Promise<string> {
  return cached('sealPublicKey', async () => {
    const given = process.env[EMAIL_SEAL_PUBLIC_KEY_ENV];
    if (given) return given;
    return emailPublicKeyOf(await secretOf('sealPrivateKey'));
  });
}

export async function sealEmail(email: string): Promise<string> {
  return sealEmailTo(email, await publicKey());
}

/** Opens a v2 (HPKE) address; a legacy v1 (AES-GCM) one only while the legacy secret is configured. */
export async function openEmail(sealed: string): Promise<string> {
  if (envelopeVersion(sealed) === 'v1' && hasSecret('legacyMaster')) {
    return decryptEmail(sealed, (await legacyKeys()).emailSeal);
  }
  const pair = await cached('sealKeyPair', async () => emailKeyPair(await secretOf('sealPrivateKey')));
  return openEmailWith(sealed, pair);
}

/** The keys of the one master secret of before: only the reseal migration and v1 opening use them. */
export function legacyKeys() {
  return cached('legacyKeys', async () => deriveKeys(await secretOf('legacyMaster')));
}
