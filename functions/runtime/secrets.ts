/**
 * The master secret, from which every key is derived (see core/privacy.ts). On AWS it lives in
 * Secrets Manager (MASTER_SECRET_ARN); locally in a file in the data folder (MASTER_SECRET_FILE);
 * tests may pass it directly (MASTER_SECRET).
 */
import { readFileSync } from 'node:fs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { deriveKeys, type Keys } from '../core/privacy';

let cached: Promise<Keys> | undefined;

export function secretKeys(): Promise<Keys> {
  cached ??= loadMasterSecret().then(deriveKeys);
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}

export function resetSecrets(): void {
  cached = undefined;
}

async function loadMasterSecret(): Promise<string> {
  if (process.env.MASTER_SECRET) return process.env.MASTER_SECRET;
  if (process.env.MASTER_SECRET_FILE) return readFileSync(process.env.MASTER_SECRET_FILE, 'utf8').trim();
  const arn = process.env.MASTER_SECRET_ARN;
  if (!arn) throw new Error('No master secret: set MASTER_SECRET_ARN, MASTER_SECRET_FILE or MASTER_SECRET.');
  const result = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
  if (!result.SecretString) throw new Error('The master secret is empty.');
  return result.SecretString;
}
