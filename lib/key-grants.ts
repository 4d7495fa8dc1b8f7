/**
 * Which Lambda may hold which key: the one table of it. Each group gets in its environment exactly
 * the secrets (and the public sealing key) listed here, and its role may read exactly those secrets
 * (test/infra/permissions.test.ts checks the list against what each bundle's code asks
 * runtime/keys.ts and runtime/email-keys.ts for). A new group gets its keys by adding a line.
 *
 * - `sealPublicKey`: seals addresses (reader-facing code); never opens one.
 * - `sealPrivateKey`: opens addresses (mails to readers and to the author, the desk). While the
 *   legacy master secret is kept (until `npm run admin -- reseal` ran and the stack is deployed
 *   with `-c legacyMasterSecret=retired`), whoever opens addresses may read it too, for v1 ones.
 */
import { Stack } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { HandlerGroup } from '../functions/routes';
import {
  EMAIL_SEAL_PUBLIC_KEY_ENV,
  type SecretPurpose,
  secretArnEnv,
} from '../functions/runtime/secret-names';
import { type DataResources, grantSecretRead } from './constructs/data-access';

export type KeyUse = Exclude<SecretPurpose, 'legacyMaster'> | 'sealPublicKey';

export const KEY_GRANTS: Record<HandlerGroup | 'notifier' | 'emailSealPublicKey', readonly KeyUse[]> = {
  comments: ['hashKeys', 'sealPublicKey'],
  wishes: ['hashKeys', 'sealPublicKey'],
  moderation: ['authorLink'],
  meta: [],
  /** "Meine Daten": finds her data by the lookup hash and seals the typed address for the notifier. */
  readers: ['readerLink', 'hashKeys', 'sealPublicKey'],
  // sealPrivateKey: the backup with addresses opens them (behind her login, on her request only).
  desk: ['authorLink', 'hashKeys', 'sealPublicKey', 'sealPrivateKey'],
  notifier: ['authorLink', 'readerLink', 'sealPrivateKey'],
  /** The deploy-time custom resource that derives the public key from the seed (email-seal-key.ts). */
  emailSealPublicKey: ['sealPrivateKey'],
};

export type KeyHolder = keyof typeof KEY_GRANTS;

/** Context key: `retired` once the reseal ran, so no Lambda may read the legacy master secret. */
export const LEGACY_CONTEXT_KEY = 'legacyMasterSecret';

export function legacySecretRetired(scope: Construct): boolean {
  return Stack.of(scope).node.tryGetContext(LEGACY_CONTEXT_KEY) === 'retired';
}

/** The secrets a holder may read. */
export function secretsOf(holder: KeyHolder, legacyRetired: boolean): SecretPurpose[] {
  const uses = KEY_GRANTS[holder];
  const secrets = uses.filter((use): use is Exclude<KeyUse, 'sealPublicKey'> => use !== 'sealPublicKey');
  if (holder !== 'emailSealPublicKey' && uses.includes('sealPrivateKey') && !legacyRetired) {
    return [...secrets, 'legacyMaster'];
  }
  return secrets;
}

/**
 * Grants a holder's secrets to its role and returns the environment that names them (and the public
 * key, where it seals). Nothing else: a Lambda's environment names only what it may read.
 */
export function grantKeys(
  scope: Construct,
  holder: KeyHolder,
  grantee: IGrantable,
  data: DataResources,
  publicKey: () => string,
): Record<string, string> {
  const secrets = secretsOf(holder, legacySecretRetired(scope));
  grantSecretRead(grantee, data, secrets);
  const env: Record<string, string> = Object.fromEntries(
    secrets.map((purpose) => [secretArnEnv(purpose), data.secrets[purpose].secretArn]),
  );
  if (KEY_GRANTS[holder].includes('sealPublicKey')) env[EMAIL_SEAL_PUBLIC_KEY_ENV] = publicKey();
  return env;
}
