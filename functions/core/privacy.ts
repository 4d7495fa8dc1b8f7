/**
 * Email addresses at rest: AES-256-GCM ciphertext for the author's eyes, an HMAC for lookups.
 * Client IPs never stored: only a keyed hash whose key changes every day.
 * All keys are derived from one master secret (HKDF), so there is a single secret to keep.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** Every key, by purpose (HKDF `info` per purpose: no key serves two jobs). */
export interface Keys {
  emailSeal: Buffer;
  links: { author: Buffer; reader: Buffer };
  hash: {
    emailLookup: Buffer;
    clientIp: Buffer;
    formTokens: Buffer;
    idempotency: Buffer;
    pageRate: Buffer;
    voterIds: Buffer;
    editKeys: Buffer;
  };
}

export function deriveKeys(masterSecret: string): Keys {
  if (masterSecret.length < 32) throw new Error('The master secret must have at least 32 characters.');
  const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', masterSecret, 'leserpost', purpose, 32));
  return {
    emailSeal: derive('email-encryption'),
    links: { author: derive('moderation-links'), reader: derive('reader-links') },
    hash: {
      emailLookup: derive('email-lookup'),
      clientIp: derive('client-ip'),
      formTokens: derive('form-tokens'),
      idempotency: derive('idempotency-keys'),
      pageRate: derive('page-rate-limits'),
      voterIds: derive('voter-ids'),
      editKeys: derive('comment-edit-keys'),
    },
  };
}

export function canonicalEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** `v1.<iv>.<tag>.<ciphertext>`, base64url. */
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

/** A keyed hash for any other value that must be matched without being stored. */
export function keyedHash(value: string, key: Buffer): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}
