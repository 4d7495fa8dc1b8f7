/**
 * Email addresses at rest: AES-256-GCM ciphertext for the author's eyes, an HMAC for lookups.
 * Client IPs never stored: only a keyed hash whose key changes every day.
 * All keys are derived from one master secret (HKDF), so there is a single secret to keep.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

export interface Keys {
  emailKey: Buffer;
  lookupKey: Buffer;
  linkKey: Buffer;
  ipKey: Buffer;
  formKey: Buffer;
  /** Hashes of comment edit keys (one purpose, one key). */
  editKeysKey: Buffer;
}

export function deriveKeys(masterSecret: string): Keys {
  if (masterSecret.length < 32) throw new Error('The master secret must have at least 32 characters.');
  const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', masterSecret, 'leserpost', purpose, 32));
  return {
    emailKey: derive('email-encryption'),
    lookupKey: derive('email-lookup'),
    linkKey: derive('moderation-links'),
    ipKey: derive('client-ip'),
    formKey: derive('form-tokens'),
    editKeysKey: derive('comment-edit-keys'),
  };
}

export function canonicalEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** `v1.<iv>.<tag>.<ciphertext>`, base64url. */
export function encryptEmail(email: string, keys: Keys): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.emailKey, iv);
  const ciphertext = Buffer.concat([cipher.update(email, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

export function decryptEmail(sealed: string, keys: Keys): string {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || !ciphertext) throw new Error('Unknown email envelope.');
  const decipher = createDecipheriv('aes-256-gcm', keys.emailKey, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
    'utf8',
  );
}

export function emailLookupHash(email: string, keys: Keys): string {
  return createHmac('sha256', keys.lookupKey).update(canonicalEmail(email)).digest('base64url');
}

/** A keyed hash of the client IP that cannot be linked across days. */
export function clientIpHash(ip: string, keys: Keys, now: Date): string {
  const day = now.toISOString().slice(0, 10);
  const dailyKey = createHmac('sha256', keys.ipKey).update(day).digest();
  return createHmac('sha256', dailyKey).update(ip).digest('base64url').slice(0, 32);
}

/** The stored stand-in for a comment's edit key: the key itself never reaches the table. */
export function editKeyHash(editKey: string, keys: Keys): string {
  return keyedHash(editKey, keys.editKeysKey);
}

/** A keyed hash for any other value that must be matched without being stored. */
export function keyedHash(value: string, key: Buffer): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}
