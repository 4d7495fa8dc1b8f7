/**
 * A desk address no route takes — mistyped, cut off, or called with the wrong method — answered as
 * a person expects of a web page: the desk's HTML page in her language with 404 or 405, not the
 * API's JSON; a client that asks for JSON still gets JSON. Through HTTP on the local stack, which
 * routes these paths as API Gateway's desk catch-all routes do (lib/constructs/public-api.ts).
 */
import fc from 'fast-check';
import type { LocalStack } from '../../dev/local-stack';
import { unmatchedGroup } from '../../functions/routes';
import { startMailingStack, stopMailingStack } from '../support/outbox';

jest.setTimeout(120_000);
let stack: LocalStack;

beforeAll(async () => {
  stack = await startMailingStack({ SITE_LANG: 'de' });
}, 120_000);

afterAll(() => stopMailingStack(stack));

async function open(path: string, init: RequestInit = {}) {
  const response = await fetch(`${stack.url}${path}`, { redirect: 'manual', ...init });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    allow: response.headers.get('allow'),
    body: await response.text(),
  };
}

describe('a desk address that does not exist', () => {
  it('is a German or English page with 404 and a way back to the desk', async () => {
    for (const path of [
      '/desk/gibtsnicht',
      '/desk/',
      '/desk/komentare',
      '/desk/comments/x/y',
      '/desk//login',
    ]) {
      const page = await open(path);
      expect({ path, status: page.status, type: page.type }).toEqual({
        path,
        status: 404,
        type: 'text/html; charset=utf-8',
      });
      expect(page.body).toContain('Diese Seite gibt es nicht.');
      expect(page.body).toContain('href="/desk"');
    }
    const english = await open('/desk/does-not-exist', { headers: { 'accept-language': 'en' } });
    expect(english.status).toBe(404);
    expect(english.body).toContain('This page does not exist.');
  });

  it('called with a method it does not take, is a page with 405 and the methods it takes', async () => {
    const page = await open('/desk', { method: 'PUT' });
    expect(page.status).toBe(405);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.allow).toBe('GET, POST');
    expect(page.body).toContain('So lässt sich diese Seite nicht aufrufen.');
  });

  it('a desk form whose body cannot be read is a page that says so in words, with 400 (415 when packed)', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(stack.url).origin };
    const broken = await open('/desk/login', { method: 'POST', headers: form, body: 'email=%FF' });
    expect(broken.status).toBe(400);
    expect(broken.type).toBe('text/html; charset=utf-8');
    expect(broken.body).toContain('Das Formular kam mit Zeichen an, die sich nicht lesen lassen.');
    const packed = await open('/desk/login', {
      method: 'POST',
      headers: { ...form, 'content-encoding': 'gzip', 'accept-language': 'en' },
      body: 'email=autorin%40example.org',
    });
    expect(packed.status).toBe(415);
    expect(packed.body).toContain('The form arrived packed, which the desk does not read.');
  });

  it('answers a client that asked for JSON with the JSON error, as before', async () => {
    const answer = await open('/desk/gibtsnicht', { headers: { accept: 'application/json' } });
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body).error.code).toBe('not_found');
  });

  it('leaves every other unknown address to the API’s JSON 404', async () => {
    const answer = await open('/api/deskgibtsnicht');
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body).error.code).toBe('not_found');
  });

  it('picks the desk for exactly its own paths, whatever follows', () => {
    fc.assert(
      fc.property(fc.string(), (rest) => {
        expect(unmatchedGroup(`/desk/${rest}`)).toBe('desk');
        expect(unmatchedGroup(`/desks${rest}`)).toBe('meta');
        expect(unmatchedGroup(`/api/desk/${rest}`)).toBe('meta');
      }),
    );
    expect(unmatchedGroup('/desk')).toBe('desk');
  });
});
