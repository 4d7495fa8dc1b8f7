/**
 * Deploy-time custom resource (lib/constructs/email-seal-key.ts): derives the public sealing key
 * from the private key's seed, so the reader-facing Lambdas get the public key in their environment
 * without any read access to the seed. This function's role may read that one secret and nothing
 * else; the public key is no secret.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { emailPublicKeyOf } from '../core/email-seal';
import { secretOf } from '../runtime/secrets';

export async function handler(event: CloudFormationCustomResourceEvent) {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const publicKey = await emailPublicKeyOf(await secretOf('sealPrivateKey'));
  // A new physical id when the key changes, so CloudFormation sees the new value.
  return { PhysicalResourceId: `email-seal-public-key-${publicKey}`, Data: { PublicKey: publicKey } };
}
