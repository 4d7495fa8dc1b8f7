/**
 * Stands in for `@aws-sdk/client-secrets-manager` in the Lambda bundles only (esbuild alias in
 * lib/bundling.ts; the dev server and the tests load the real client). runtime/secrets.ts makes one
 * call, GetSecretValue on a cold start, and reads SecretString; this sends that call as the SDK
 * does (AWS JSON 1.1, see aws-call.ts) for about 0.3 KB instead of the client's 13 KB.
 *
 * Same names and call shape as the SDK for what secrets.ts uses: `new SecretsManagerClient({})
 * .send(new GetSecretValueCommand({ SecretId }))`. The answer is AWS's JSON as it is (dates stay
 * epoch seconds, SecretBinary stays base64): only SecretString is read.
 */
import { awsCall } from './aws-call';

export class GetSecretValueCommand {
  constructor(readonly input: { SecretId: string; VersionId?: string; VersionStage?: string }) {}
}

export class SecretsManagerClient {
  // The SDK's configuration object; region and credentials come from the Lambda environment.
  constructor(readonly config: Record<string, unknown> = {}) {}

  async send(command: GetSecretValueCommand): Promise<{ SecretString?: string; [field: string]: unknown }> {
    return (await awsCall({
      signingName: 'secretsmanager',
      endpointPrefix: 'secretsmanager',
      endpointEnv: 'SECRETS_MANAGER',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'secretsmanager.GetSecretValue',
      },
      body: JSON.stringify(command.input),
      // A read: safe to send again after a timeout.
      idempotent: true,
    })) as { SecretString?: string };
  }
}
