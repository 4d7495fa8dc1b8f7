/**
 * The key secrets, one per purpose, and the environment variables that name them. Plain data, read
 * by the runtime (runtime/secrets.ts), the CDK stacks (lib/constructs/data-access.ts grants a
 * Lambda exactly the secrets its group lists) and the local stack (dev/local-stack.ts files).
 *
 * For a secret with the base name `HASH_KEYS`, a process finds it in `HASH_KEYS_SECRET_ARN`
 * (Secrets Manager, on AWS), `HASH_KEYS_SECRET_FILE` (the local data folder) or `HASH_KEYS_SECRET`
 * (the value itself, tests only). A Lambda's environment names only the secrets it may read.
 */
export const SECRET_PURPOSES = {
  /** Seed of the HPKE key pair that opens stored addresses (notifier, desk, admin). */
  sealPrivateKey: 'SEAL_PRIVATE_KEY',
  /** Signs moderation and desk login links (author mails). */
  authorLink: 'AUTHOR_LINK',
  /** Signs links in mails to readers: confirm, unsubscribe, data access. */
  readerLink: 'READER_LINK',
  /** Root of the keyed hashes (lookup, client IP, form tokens, idempotency, page rate, voters, edits). */
  hashKeys: 'HASH_KEYS',
  /** The one master secret of before (AES-GCM v1 addresses, old lookup hashes); until the reseal ran. */
  legacyMaster: 'LEGACY_MASTER',
} as const;

export type SecretPurpose = keyof typeof SECRET_PURPOSES;

/** The public half of the sealing key pair (base64url): lets a Lambda seal, never open. */
export const EMAIL_SEAL_PUBLIC_KEY_ENV = 'EMAIL_SEAL_PUBLIC_KEY';

export const secretArnEnv = (purpose: SecretPurpose) => `${SECRET_PURPOSES[purpose]}_SECRET_ARN`;
export const secretFileEnv = (purpose: SecretPurpose) => `${SECRET_PURPOSES[purpose]}_SECRET_FILE`;
export const secretValueEnv = (purpose: SecretPurpose) => `${SECRET_PURPOSES[purpose]}_SECRET`;
