import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROUTE_SUMMARIES } from '../../functions/core/route-summaries';
import { handler } from '../../functions/handlers/meta';
import { ROUTES } from '../../functions/routes';
import { call, createTestStack } from '../support/stack';

beforeAll(async () => {
  await createTestStack();
});

describe('GET /openapi.json', () => {
  it('describes every route the handlers serve, with the request schemas', async () => {
    const response = await call(handler, { method: 'GET', path: '/openapi.json' });
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    for (const route of ROUTES) {
      const operation = response.body.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation).toMatchObject({ operationId: route.operationId });
      expect(operation.summary).toEqual(expect.stringMatching(/\S/));
    }
    // Summaries live apart from the route list (every Lambda bundles that): none may outlive its route.
    expect(Object.keys(ROUTE_SUMMARIES).sort()).toEqual(ROUTES.map((route) => route.operationId).sort());
    const post = response.body.paths['/comments'].post;
    const bodySchema = post.requestBody.content['application/json'].schema;
    expect(bodySchema.required).toEqual(expect.arrayContaining(['page', 'name', 'email', 'text', 'consent']));
    expect(bodySchema.properties.name.maxLength).toBe(80);
    expect(post.responses['400'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Error',
    });
  });

  it('describes the body of every POST, and each form field a desk handler reads', async () => {
    const response = await call(handler, { method: 'GET', path: '/openapi.json' });
    const source = readFileSync(join(__dirname, '../../functions/handlers/desk.ts'), 'utf8');
    const posts = ROUTES.filter((route) => route.method === 'POST');
    expect(posts.filter((route) => route.group === 'desk').length).toBeGreaterThan(15);
    for (const route of posts) {
      const requestBody = response.body.paths[route.path].post.requestBody;
      expect({ route: route.path, requestBody }).toEqual({
        route: route.path,
        requestBody: expect.anything(),
      });
      if (route.group !== 'desk') continue;
      const [type, ...others] = Object.keys(requestBody.content);
      expect(others).toEqual([]);
      const { properties, required = [] } = requestBody.content[type!].schema;
      // The handler's own code, up to the next handler: the fields it reads from the posted form.
      const start = source.indexOf(`async ${route.operationId}(`);
      expect(start).toBeGreaterThan(-1);
      const rest = source.slice(start + 1);
      const code = source.slice(start, start + 1 + (rest.search(/\n {4}async \w+\(/) + 1 || rest.length));
      const read = new Set([
        ...[...code.matchAll(/(?:\bform|formBody\(\w+\)|multipartFields\(request\))\.(\w+)\b(?!\()/g)].map(
          (match) => match[1]!,
        ),
        ...[...code.matchAll(/\.get(?:All)?\('(\w+)'\)/g)].map((match) => match[1]!),
      ]);
      for (const field of read)
        expect(`${route.operationId}: ${field} ${field in properties}`).toMatch(/true$/);
      expect(type).toBe(
        code.includes('multipartBody') ? 'multipart/form-data' : 'application/x-www-form-urlencoded',
      );
      if (code.includes('multipartBody')) expect(properties.file).toMatchObject({ format: 'binary' });
      // Every route behind the session checks the form token before its handler runs.
      expect(`${route.operationId}: csrf ${required.includes('csrf')}`).toBe(
        `${route.operationId}: csrf ${!route.public}`,
      );
    }
    const login =
      response.body.paths['/desk/login'].post.requestBody.content['application/x-www-form-urlencoded'];
    expect(login.schema).toMatchObject({ properties: { email: { type: 'string' } }, required: ['email'] });
  });

  it('is the JSON 404 and 405 for everything else', async () => {
    const missing = await call(handler, { method: 'GET', path: '/wp-login.php' });
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/json/);
  });
});
