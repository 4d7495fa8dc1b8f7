/**
 * The key secrets, one per purpose (runtime/secret-names.ts), each loaded lazily on first use and
 * only when asked for: a Lambda whose role may not read a secret never tries. On AWS each lives in
 * its own Secrets Manager secret (<NAME>_SECRET_ARN); locally in a file in the data folder
 * (<NAME>_SECRET_FILE); tests may pass the value (<NAME>_SECRET).
 */
import { readFileSync } from 'node:fs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type SecretPurpose, secretArnEnv, secretFileEnv, secretValueEnv } from './secret-names';

const cache = new Map<string, Promise<unknown>>();

/** Memoised per cold start (a failed load is tried again on the next call). */
export function cached<T>(name: string, load: () => Promise<T>): Promise<T> {
  let entry = cache.get(name) as Promise<T> | undefined;
  if (!entry) {
    entry = load();
    cache.set(name, entry);
    entry.catch(() => cache.delete(name));
  }
  return entry;
}

export function resetSecrets(): void {
  cache.clear();
}

/** Whether this process was given the secret at all (not whether it loads). */
export function hasSecret(purpose: SecretPurpose, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env[secretValueEnv(purpose)] || env[secretFileEnv(purpose)] || env[secretArnEnv(purpose)]);
}

export function secretOf(purpose: SecretPurpose): Promise<string> {
  return cached(`secret:${purpose}`, () => loadSecret(purpose));
}

async function loadSecret(purpose: SecretPurpose): Promise<string> {
  const env = process.env;
  const value = env[secretValueEnv(purpose)];
  if (value) return value;
  const file = env[secretFileEnv(purpose)];
  if (file) return readFileSync(file, 'utf8').trim();
  const arn = env[secretArnEnv(purpose)];
  if (!arn) throw new MissingSecretError(purpose);
  const result = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
  if (!result.SecretString) throw new Error(`The secret ${secretArnEnv(purpose)} is empty.`);
  return result.SecretString;
}

export class MissingSecretError extends Error {
  constructor(readonly purpose: SecretPurpose) {
    super(
      `This process has no ${purpose} key: set ${secretArnEnv(purpose)}, ${secretFileEnv(purpose)} or ${secretValueEnv(purpose)}.`,
    );
    this.name = 'MissingSecretError';
  }
}
