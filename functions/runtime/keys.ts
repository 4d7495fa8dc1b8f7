/**
 * Keys by purpose. Each caller asks for the one key its job needs, so the key material a Lambda
 * loads can be narrowed to its purpose: reader-facing code seals addresses and hashes values, only
 * the notifier, the desk and the admin tools open addresses, only link issuers and verifiers sign.
 *
 * Today every purpose key is derived from the one master secret (functions/runtime/secrets.ts);
 * the callers already name their purpose, so separating the secrets changes only this module.
 */
import { decryptEmail, emailLookupHash, encryptEmail } from '../core/privacy';
import { secretKeys } from './secrets';

/** Keys for keyed hashes: values matched without being stored. Each purpose its own key. */
export interface HashKeys {
  emailLookup: Buffer;
  clientIp: Buffer;
  formTokens: Buffer;
  idempotency: Buffer;
  pageRate: Buffer;
  voterIds: Buffer;
  editKeys: Buffer;
}

/** `author`: moderation and desk links, opened by the author. `reader`: links in mails to readers. */
export type LinkPurpose = 'author' | 'reader';

export async function hashKeys(): Promise<HashKeys> {
  return (await secretKeys()).hash;
}

export async function linkKey(purpose: LinkPurpose): Promise<Buffer> {
  return (await secretKeys()).links[purpose];
}

/** The lookup hash of an address, the only way anything finds what a reader stored. */
export async function lookupHashOf(email: string): Promise<string> {
  return emailLookupHash(email, (await hashKeys()).emailLookup);
}

export async function sealEmail(email: string): Promise<string> {
  return encryptEmail(email, (await secretKeys()).emailSeal);
}

export async function openEmail(sealed: string): Promise<string> {
  return decryptEmail(sealed, (await secretKeys()).emailSeal);
}
