/**
 * The desk's multipart parser at LIMITS.multipart: exactly at each limit a body parses, one past
 * it is a 400 naming the file, never a crash or a silent cut.
 */
import { LIMITS } from '../../functions/core/limits';
import { HttpError } from '../../functions/http/errors';
import { multipartBody } from '../../functions/http/multipart';
import type { Request } from '../../functions/http/request';

const BOUNDARY = 'leserpost-limits';

function request(parts: string[]): Request {
  return {
    method: 'POST',
    path: '/desk/backup',
    query: {},
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    body: '',
    bytes: Buffer.from(`${parts.join('')}--${BOUNDARY}--\r\n`),
    lang: 'de',
    origin: undefined,
    sourceIp: '',
    requestId: '',
    pathParams: {},
    cookies: {},
  };
}

const part = (name: string, extraHeader = '') =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n${extraHeader}\r\n1\r\n`;

function refusal(body: Request): unknown {
  try {
    multipartBody(body);
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, code: error.code, fields: error.fields };
    throw error;
  }
  return 'parsed';
}

const refused = { status: 400, code: 'invalid_upload', fields: [{ field: 'file', code: 'invalid' }] };

it(`takes ${LIMITS.multipart.maxParts} parts, and refuses one more naming the file`, () => {
  const parts = Array.from({ length: LIMITS.multipart.maxParts }, (_, i) => part(`p${i}`));
  expect(multipartBody(request(parts)).size).toBe(LIMITS.multipart.maxParts);
  expect(refusal(request([...parts, part('one-more')]))).toEqual(refused);
});

it(`takes a part's headers up to ${LIMITS.multipart.partHeaderBytes} bytes, and refuses longer ones`, () => {
  // Counted from the line break after the delimiter to the blank line that ends the headers.
  const base = Buffer.byteLength(`\r\nContent-Disposition: form-data; name="f"\r\nX: `);
  const header = (bytes: number) => `X: ${'a'.repeat(bytes - base)}\r\n`;
  expect(multipartBody(request([part('f', header(LIMITS.multipart.partHeaderBytes))])).has('f')).toBe(true);
  expect(refusal(request([part('f', header(LIMITS.multipart.partHeaderBytes + 1))]))).toEqual(refused);
});
