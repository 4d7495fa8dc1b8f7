/**
 * mail-retry on AWS invokes the deployed notifier Lambda with the kept records: the real Lambda
 * client against a recorded Invoke answer (the response shape of the Lambda API reference: the
 * function's JSON result as the body, X-Amz-Function-Error when it threw).
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { lambdaNotifier } from '../../bin/mail-retry';
import { RECORDED_CREDENTIALS, recordedHandler } from '../support/recorded-aws';

const event = {
  Records: [
    { eventID: 'comment#01J', eventName: 'INSERT' as const, dynamodb: { SequenceNumber: 'comment#01J' } },
  ],
};

function client(answer: { status?: number; headers?: Record<string, string>; body: string }) {
  const handler = recordedHandler(() => answer);
  return {
    handler,
    client: new LambdaClient({
      region: 'eu-central-1',
      credentials: RECORDED_CREDENTIALS,
      requestHandler: handler,
    }),
  };
}

it('invokes the notifier by name with the stream event and returns its batch response', async () => {
  const { handler, client: lambda } = client({
    headers: { 'x-amz-executed-version': '$LATEST' },
    body: JSON.stringify({ batchItemFailures: [{ itemIdentifier: 'comment#01J' }] }),
  });
  const result = await lambdaNotifier('LeserpostApi-NotificationsNotifier-abc', lambda)(event);
  expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'comment#01J' }] });
  expect(handler.seen).toHaveLength(1);
  expect(handler.seen[0]!.path).toBe(
    '/2015-03-31/functions/LeserpostApi-NotificationsNotifier-abc/invocations',
  );
  expect(JSON.parse(handler.seen[0]!.body)).toEqual(event);
});

it('reports a crash of the notifier as an error, with its message', async () => {
  const { client: lambda } = client({
    headers: { 'x-amz-function-error': 'Unhandled' },
    body: JSON.stringify({ errorType: 'Error', errorMessage: 'AUTHOR_EMAIL is not configured.' }),
  });
  await expect(lambdaNotifier('n', lambda)(event)).rejects.toThrow(
    /notifier failed \(Unhandled\).*AUTHOR_EMAIL is not configured/,
  );
});
