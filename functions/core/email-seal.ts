/**
 * Email addresses at rest, sealed to a public key (HPKE, RFC 9180: DHKEM X25519, HKDF-SHA256,
 * AES-256-GCM, base mode) with @hpke/core on WebCrypto. Whoever holds only the public key (the
 * reader-facing Lambdas) can seal an address but never open one; the private key is derived from a
 * random seed (RFC 9180 DeriveKeyPair) that only the notifier, the desk and the admin tools read.
 *
 * Envelope: `v2.<base64url enc>.<base64url ciphertext>`. The HPKE `info` names the purpose and the
 * version, so a ciphertext sealed for another purpose or version does not open as an address.
 */
import { Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';

// Made on first use: a bundle that never seals or opens (e.g. moderation) tree-shakes HPKE away.
let cipherSuite: CipherSuite | undefined;
const suite = () =>
  (cipherSuite ??= new CipherSuite({
    kem: new DhkemX25519HkdfSha256(),
    kdf: new HkdfSha256(),
    aead: new Aes256Gcm(),
  }));
const INFO = new TextEncoder().encode('leserpost email v2');
/** DeriveKeyPair needs at least Nsk (32) bytes of input keying material. */
const MIN_SEED_LENGTH = 32;

export const SEALED_V2 = 'v2';

function seedBytes(seed: string): ArrayBuffer {
  if (seed.length < MIN_SEED_LENGTH)
    throw new Error(`The email key seed must have at least ${MIN_SEED_LENGTH} characters.`);
  const bytes = new TextEncoder().encode(seed);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

const toBuffer = (bytes: Uint8Array) =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

/** The key pair of a seed; the same seed always gives the same pair. */
export function emailKeyPair(seed: string): Promise<CryptoKeyPair> {
  return suite().kem.deriveKeyPair(seedBytes(seed));
}

/** The public key of a seed, base64url (what reader-facing Lambdas get as EMAIL_SEAL_PUBLIC_KEY). */
export async function emailPublicKeyOf(seed: string): Promise<string> {
  const pair = await emailKeyPair(seed);
  return Buffer.from(await suite().kem.serializePublicKey(pair.publicKey)).toString('base64url');
}

export async function sealEmailTo(email: string, publicKey: string): Promise<string> {
  const recipientPublicKey = await suite().kem.deserializePublicKey(
    toBuffer(Buffer.from(publicKey, 'base64url')),
  );
  const { enc, ct } = await suite().seal({ recipientPublicKey, info: INFO }, new TextEncoder().encode(email));
  return [SEALED_V2, Buffer.from(enc).toString('base64url'), Buffer.from(ct).toString('base64url')].join('.');
}

export async function openEmailWith(sealed: string, recipientKey: CryptoKeyPair): Promise<string> {
  const [version, enc, ct, extra] = sealed.split('.');
  if (version !== SEALED_V2 || !enc || !ct || extra !== undefined) throw new Error('Unknown email envelope.');
  const plain = await suite().open(
    { recipientKey, enc: toBuffer(Buffer.from(enc, 'base64url')), info: INFO },
    toBuffer(Buffer.from(ct, 'base64url')),
  );
  return new TextDecoder('utf-8', { fatal: true }).decode(plain);
}

/** The envelope version of a stored value: 'v1' (AES-GCM, legacy), 'v2' (HPKE) or undefined. */
export function envelopeVersion(sealed: string): 'v1' | 'v2' | undefined {
  const version = sealed.slice(0, sealed.indexOf('.'));
  return version === 'v1' || version === 'v2' ? version : undefined;
}
