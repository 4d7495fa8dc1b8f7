/**
 * Stands in for `@aws-sdk/client-sesv2` in the Lambda bundles only (esbuild alias in
 * lib/bundling.ts; the dev server and the tests load the real client). notifier/transport.ts makes
 * one call, SendEmail with a raw MIME message; this sends it as the SDK does (REST JSON,
 * POST /v2/email/outbound-emails, the message base64 in Content.Raw.Data, see aws-call.ts).
 * The SDK client brought every SES v2 command's schema (the SDK cannot tree-shake them), its
 * error classes, the REST protocol and the multi-region signer: about 75 KB of the notifier.
 *
 * Same names and call shape as the SDK for what transport.ts uses: `new SESv2Client({})
 * .send(new SendEmailCommand({...}))` resolving to `{ MessageId }`.
 */
import { awsCall } from './aws-call';

export interface SendEmailInput {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  ReplyToAddresses?: string[];
  Content: { Raw: { Data: Uint8Array } };
  ConfigurationSetName?: string;
}

export class SendEmailCommand {
  constructor(readonly input: SendEmailInput) {}
}

export class SESv2Client {
  // The SDK's configuration object; region and credentials come from the Lambda environment.
  constructor(readonly config: Record<string, unknown> = {}) {}

  async send(command: SendEmailCommand): Promise<{ MessageId?: string }> {
    const { Content, ...rest } = command.input;
    const body = { ...rest, Content: { Raw: { Data: Buffer.from(Content.Raw.Data).toString('base64') } } };
    return (await awsCall({
      signingName: 'ses',
      endpointPrefix: 'email',
      endpointEnv: 'SESV2',
      path: '/v2/email/outbound-emails',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })) as { MessageId?: string };
  }
}
