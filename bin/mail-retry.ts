/**
 * `npm run admin -- mail-retry`: resends the mails that failed (functions/notifier/retry.ts).
 * Locally the notifier handler runs in this process with the local stack's mail settings (the
 * outbox); on AWS the deployed notifier Lambda is invoked with the kept records, so the resend has
 * the Lambda's SES permission and configuration, not the caller's.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import type { InvokeNotifier } from '../functions/notifier/retry';

export type Say = (de: string, en: string) => string;

/** The deployed notifier as an InvokeNotifier; a function error is an error, not a result. */
export function lambdaNotifier(functionName: string, client = new LambdaClient({})): InvokeNotifier {
  return async (event) => {
    const answer = await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        Payload: new TextEncoder().encode(JSON.stringify(event)),
      }),
    );
    const payload = answer.Payload ? new TextDecoder().decode(answer.Payload) : '';
    if (answer.FunctionError) throw new Error(`The notifier failed (${answer.FunctionError}): ${payload}`);
    return payload ? (JSON.parse(payload) as DynamoDBBatchResponse) : undefined;
  };
}

export async function mailRetry(invoke: InvokeNotifier, say: Say, out = process.stdout): Promise<number> {
  const { retryFailedMails } = await import('../functions/notifier/retry');
  const result = await retryFailedMails(invoke);
  const sent = result.retried.length - result.failed.length;
  if (result.retried.length === 0) {
    out.write(say('✓ Keine fehlgeschlagenen Mails.\n', '✓ No failed mails.\n'));
    return 0;
  }
  out.write(say(`✓ ${sent} Mails erneut zugestellt.\n`, `✓ ${sent} mails delivered again.\n`));
  if (result.failed.length === 0) return 0;
  out.write(
    say(
      `✗ ${result.failed.length} weiterhin nicht zustellbar: ${result.failed.join(', ')}\n  → Prüfe SES mit \`npm run admin -- doctor\` und versuche es dann erneut.\n`,
      `✗ ${result.failed.length} still failing: ${result.failed.join(', ')}\n  → Check SES with \`npm run admin -- doctor\`, then try again.\n`,
    ),
  );
  return 1;
}
