/**
 * Keyed hashes and link keys, each derived for its own purpose (HKDF `info` per purpose: no key
 * serves two jobs), and the legacy v1 email envelope (AES-256-GCM, 16-byte tag pinned).
 * New addresses are sealed with HPKE to a public key (core/email-seal.ts); v1 stays readable only
 * while the legacy master secret is configured, for `npm run admin -- reseal`.
 * Client IPs are never stored: only a keyed hash whose key changes every day.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** Keys for keyed hashes: values matched without being stored. Each purpose its own key. */
export interface HashKeys {
  emailLookup: Buffer;
  clientIp: Buffer;
  formTokens: Buffer;
  idempotency: Buffer;
  pageRate: Buffer;
  voterIds: Buffer;
  editKeys: Buffer;
  /** Rate limits per address (confirmation mails): never the lookup hash itself in a counter's key. */
  addressRate: Buffer;
  readerKeys: Buffer;
}

/** `author`: moderation and desk links, opened by the author. `reader`: links in mails to readers. */
export type LinkPurpose = 'author' | 'reader';

/** Every key the legacy master secret gave (before keys were separated by purpose). */
export interface Keys {
  emailSeal: Buffer;
  links: Record<LinkPurpose, Buffer>;
  hash: HashKeys;
}

const MIN_SECRET_LENGTH = 32;

function hkdf(secret: string, purpose: string): Buffer {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`A key secret must have at least ${MIN_SECRET_LENGTH} characters.`);
  }
  return Buffer.from(hkdfSync('sha256', secret, 'leserpost', purpose, 32));
}

/** Every hash key from the one hash-keys secret, one HKDF `info` per purpose. */
export function deriveHashKeys(root: string): HashKeys {
  return {
    emailLookup: hkdf(root, 'email-lookup'),
    clientIp: hkdf(root, 'client-ip'),
    formTokens: hkdf(root, 'form-tokens'),
    idempotency: hkdf(root, 'idempotency-keys'),
    pageRate: hkdf(root, 'page-rate-limits'),
    voterIds: hkdf(root, 'voter-ids'),
    editKeys: hkdf(root, 'comment-edit-keys'),
    addressRate: hkdf(root, 'address-rate-limits'),
    readerKeys: hkdf(root, 'reader-keys'),
  };
}

const LINK_INFO: Record<LinkPurpose, string> = { author: 'moderation-links', reader: 'reader-links' };

/** The signing key for one kind of link, from that kind's own secret. */
export function deriveLinkKey(secret: string, purpose: LinkPurpose): Buffer {
  return hkdf(secret, LINK_INFO[purpose]);
}

/** The legacy derivation: every key from the one master secret (kept for the v1 migration). */
export function deriveKeys(masterSecret: string): Keys {
  return {
    emailSeal: hkdf(masterSecret, 'email-encryption'),
    links: { author: deriveLinkKey(masterSecret, 'author'), reader: deriveLinkKey(masterSecret, 'reader') },
    hash: deriveHashKeys(masterSecret),
  };
}

export function canonicalEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Legacy `v1.<iv>.<tag>.<ciphertext>`, base64url (new addresses are sealed as v2, core/email-seal.ts). */
export function encryptEmail(email: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  const ciphertext = Buffer.concat([cipher.update(email, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

export function decryptEmail(sealed: string, key: Buffer): string {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || !ciphertext) throw new Error('Unknown email envelope.');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
    'utf8',
  );
}

export function emailLookupHash(email: string, key: Buffer): string {
  return createHmac('sha256', key).update(canonicalEmail(email)).digest('base64url');
}

/** A keyed hash of the client IP that cannot be linked across days. */
export function clientIpHash(ip: string, key: Buffer, now: Date): string {
  const day = now.toISOString().slice(0, 10);
  const dailyKey = createHmac('sha256', key).update(day).digest();
  return createHmac('sha256', dailyKey).update(ip).digest('base64url').slice(0, 32);
}

/** The stored stand-in for a comment's edit key, which only the writer's browser keeps. */
export function editKeyHash(editKey: string, key: Buffer): string {
  return keyedHash(editKey, key);
}

/** A keyed hash for any other value that must be matched without being stored. */
export function keyedHash(value: string, key: Buffer): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}
