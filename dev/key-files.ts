/**
 * The key secrets of a local stack: one file per purpose in `<data folder>/keys/` (as one Secrets
 * Manager secret each on AWS), made on first start, readable only by their owner. A `master.key`
 * from before keys were separated stays the legacy key, so old addresses open until
 * `npm run admin -- reseal` ran.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SECRET_PURPOSES, type SecretPurpose, secretFileEnv } from '../functions/runtime/secret-names';

/** The purposes a local stack has a key file for (the legacy one only if it was there). */
export const LOCAL_KEY_PURPOSES = ['sealPrivateKey', 'authorLink', 'readerLink', 'hashKeys'] as const;

export function keyFilePath(dataDir: string, purpose: SecretPurpose): string {
  if (purpose === 'legacyMaster') return join(dataDir, 'master.key');
  return join(dataDir, 'keys', `${SECRET_PURPOSES[purpose].toLowerCase().replace(/_/g, '-')}.key`);
}

/** The environment that points the runtime at the key files (created if asked and missing). */
export function keyFileEnv(dataDir: string, options: { create: boolean }): Record<string, string> {
  const env: Record<string, string> = {};
  for (const purpose of [...LOCAL_KEY_PURPOSES, 'legacyMaster'] as const) {
    const file = keyFilePath(dataDir, purpose);
    if (!existsSync(file) && options.create && purpose !== 'legacyMaster') {
      mkdirSync(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
      writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
    }
    if (existsSync(file)) env[secretFileEnv(purpose)] = file;
  }
  return env;
}
