/**
 * A fault injector in front of DynamoDB Local's wire protocol: a tiny HTTP server on 127.0.0.1 that
 * forwards every request unchanged, except the operations a test picks, which it answers the way
 * DynamoDB does when it throttles or fails (status, x-amzn-ErrorType header, JSON error body).
 * The store code runs unchanged against it; nothing of it is mocked.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | 'ProvisionedThroughputExceededException'
  | 'ThrottlingException'
  | 'InternalServerError'
  | 'TransactionCanceledThrottling'
  /** Not retryable and not the reader's fault (a role without a permission): a 500. */
  | 'AccessDeniedException';

export interface FaultInjector {
  endpoint: string;
  /** DynamoDB operations seen (e.g. 'TransactWriteItems'), in order. */
  seen: string[];
  /** Which operation fails how; return undefined to forward it. */
  rule: (operation: string) => Fault | undefined;
  close: () => Promise<void>;
}

function faultResponse(fault: Fault): { status: number; type: string; body: Record<string, unknown> } {
  const prefix = 'com.amazonaws.dynamodb.v20120810#';
  switch (fault) {
    case 'InternalServerError':
      return { status: 500, type: fault, body: { __type: prefix + fault, message: 'Internal server error' } };
    case 'TransactionCanceledThrottling':
      return {
        status: 400,
        type: 'TransactionCanceledException',
        body: {
          __type: `${prefix}TransactionCanceledException`,
          message:
            'Transaction cancelled, please refer cancellation reasons for specific reasons [ThrottlingError]',
          CancellationReasons: [
            { Code: 'ThrottlingError', Message: 'Throughput exceeds the current capacity.' },
          ],
        },
      };
    default:
      return {
        status: 400,
        type: fault,
        body: {
          __type: prefix + fault,
          message: 'The level of configured provisioned throughput was exceeded.',
        },
      };
  }
}

export async function startFaultInjector(target: string): Promise<FaultInjector> {
  const upstream = new URL(target);
  const injector: FaultInjector = { endpoint: '', seen: [], rule: () => undefined, close: async () => {} };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      injector.seen.push(operation);
      const fault = injector.rule(operation);
      if (fault) {
        const { status, type, body } = faultResponse(fault);
        response.writeHead(status, {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-errortype': `${type}:`,
          'x-amzn-requestid': 'FAULTINJECTOR',
        });
        response.end(JSON.stringify(body));
        return;
      }
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: request.method,
          path: request.url,
          headers: request.headers,
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      forward.on('error', () => response.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  injector.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  injector.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return injector;
}
