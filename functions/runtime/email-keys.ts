/**
 * Sealing and opening stored addresses (core/email-seal.ts, HPKE) with the keys of their purpose:
 * reader-facing Lambdas seal with the PUBLIC key, only the notifier, the desk and the admin tools
 * open. Apart from keys.ts so that groups which only hash or sign links do not bundle HPKE.
 */
import {
  emailKeyPair,
  emailPublicKeyOf,
  envelopeVersion,
  openEmailWith,
  sealEmailTo,
} from '../core/email-seal';
import { decryptEmail } from '../core/privacy';
import { legacyKeys } from './keys';
import { EMAIL_SEAL_PUBLIC_KEY_ENV } from './secret-names';
import { cached, hasSecret, secretOf } from './secrets';

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
