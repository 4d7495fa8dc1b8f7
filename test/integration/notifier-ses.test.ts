/**
 * The notifier's real SES v2 client against a local endpoint answering as SES does, with the
 * delivery markers in DynamoDB Local: SendEmail is sent once per attempt (the client never retries
 * by itself); an answer with an error releases the claim so the record's retry sends; an ambiguous
 * failure (the connection dies after the request went out) keeps the claim, so an immediate retry
 * does not send the mail a second time.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deliverOnce, MailInFlightError } from '../../functions/notifier/deliver';
import { sesTransport, useTransport } from '../../functions/notifier/transport';
import { createTestStack } from '../support/stack';

let server: Server;
let requests = 0;
let answer: 'ok' | 'rejected' | 'hang-up' = 'ok';

beforeAll(async () => {
  await createTestStack();
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests++;
      if (answer === 'hang-up') return request.socket.destroy();
      if (answer === 'rejected') {
        response.writeHead(400, {
          'content-type': 'application/json',
          'x-amzn-ErrorType': 'MessageRejected',
        });
        return response.end(JSON.stringify({ message: 'Email address is not verified.' }));
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ MessageId: 'ses-1' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    AWS_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret',
    AWS_ENDPOINT_URL_SESV2: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  });
  useTransport(sesTransport('leserpost'));
});

afterAll(async () => {
  useTransport(undefined);
  delete process.env.AWS_ENDPOINT_URL_SESV2;
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  requests = 0;
});

const mail = async () => ({
  raw: Buffer.from('Subject: Hallo\r\n\r\nHallo\r\n'),
  from: 'a@example.org',
  to: 'b@example.org',
  subject: 'Hallo',
});
const newId = () => `test-${Math.random().toString(36).slice(2)}`;

it('sends through SES once and marks the mail sent', async () => {
  const id = newId();
  answer = 'ok';
  expect(await deliverOnce(id, new Date(), undefined, mail)).toBe('sent');
  expect(await deliverOnce(id, new Date(), undefined, mail)).toBe('skipped');
  expect(requests).toBe(1);
});

it('after an error answer (SES did not take the mail) releases the claim, so the retry sends', async () => {
  const id = newId();
  answer = 'rejected';
  await expect(deliverOnce(id, new Date(), undefined, mail)).rejects.toMatchObject({
    name: 'MessageRejected',
  });
  answer = 'ok';
  expect(await deliverOnce(id, new Date(), undefined, mail)).toBe('sent');
  expect(requests).toBe(2);
});

it('after an ambiguous failure never sends again at once: one request, and the claim holds', async () => {
  const id = newId();
  answer = 'hang-up';
  await expect(deliverOnce(id, new Date(), undefined, mail)).rejects.toThrow();
  expect(requests).toBe(1); // the SDK client did not retry by itself
  answer = 'ok';
  await expect(deliverOnce(id, new Date(), undefined, mail)).rejects.toBeInstanceOf(MailInFlightError);
  expect(requests).toBe(1);
});
