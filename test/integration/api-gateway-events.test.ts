/**
 * The handlers fed with real API Gateway events captured by other projects (shared fixtures):
 * every shape gets a clear answer, never a crash.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { handler as comments } from '../../functions/handlers/comments';
import { handler as meta } from '../../functions/handlers/meta';
import { callWithEvent, createTestStack, type TestStack } from '../support/stack';

const FIXTURES = join(__dirname, '../../../shared/fixtures/apigw');
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack();
});

describe('real HTTP API 2.0 events', () => {
  it('a captured JSON POST aimed at /comments: unknown fields and missing ones are named', async () => {
    const event = fixture('http-v2-post-json-body.json');
    event.rawPath = '/comments';
    event.requestContext.http.path = '/comments';
    event.headers['content-type'] = 'application/json';
    const response = await callWithEvent(comments, event);
    expect(response.status).toBe(400);
    const fields = response.body.error.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['page', 'name', 'email', 'text', 'consent']));
    expect(await stack.dump()).toEqual([]);
  });

  it('the same event without a content type is refused with 415', async () => {
    const event = fixture('http-v2-post-json-body.json');
    event.rawPath = '/comments';
    const response = await callWithEvent(comments, event);
    expect(response.status).toBe(415);
    expect(response.body.error.code).toBe('unsupported_media_type');
    expect(response.body.error.fields).toEqual([
      { field: 'content-type', code: 'invalid_choice', message: 'Dieser Wert ist nicht vorgesehen.' },
    ]);
  });

  it('a Function URL event with a base64 body of another type is refused with 415', async () => {
    const event = fixture('function-url-v2-base64-body.json');
    event.rawPath = '/comments';
    const response = await callWithEvent(comments, event);
    expect(response.status).toBe(415);
  });

  it('a sam-local event with capitalised headers and a query string reaches the router', async () => {
    const event = fixture('http-v2-sam-local-get-querystring.json');
    const response = await callWithEvent(meta, event);
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
    event.rawPath = '/comments';
    event.rawQueryString = 'page=%2Fposts%2Fx';
    const list = await callWithEvent(comments, event);
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ page: '/posts/x', comments: [], cursor: null });
  });

  it('a GET to / without authorizer or body is a JSON 404', async () => {
    const response = await callWithEvent(meta, fixture('http-v2-no-authorizer-get.json'));
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/json/);
  });
});

describe('events of other shapes', () => {
  it.each(['rest-v1-proxy-post.json', 'rest-v1-cognito-authorizer.json'])(
    'REST API 1.0 event %s gets a clear 400, not a crash',
    async (name) => {
      const response = await callWithEvent(comments, fixture(name));
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('unsupported_event');
      expect(response.body.error.message).toMatch(/2\.0/);
    },
  );

  it('a DynamoDB stream event sent to an API handler gets a clear 400', async () => {
    const response = await callWithEvent(meta, fixture('ddb-stream-insert-modify-remove.json'));
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('unsupported_event');
  });
});
