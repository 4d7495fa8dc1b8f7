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

  it('names the routes that take an Idempotency-Key, and the README names the same', async () => {
    const paths = (await call(handler, { method: 'GET', path: '/openapi.json' })).body.paths as Record<
      string,
      Record<string, { parameters?: { in: string; name: string }[] }>
    >;
    const taking = Object.entries(paths)
      .flatMap(([path, operations]) =>
        Object.entries(operations)
          .filter(([, operation]) =>
            operation.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'),
          )
          .map(([method]) => `\`${method.toUpperCase()} ${path}\``),
      )
      .sort();
    expect(taking).toEqual(['`POST /comments`', '`POST /wishes`']);
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8').replace(/\s+/g, ' ');
    expect(readme).toContain(`${taking.join(' and ')} take an \`Idempotency-Key\` header`);
  });

  it('is what the README’s API table lists: every route but the desk’s, and none that does not exist', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## API\n'), readme.indexOf('\n## Moderation and mail\n'));
    const listed = new Set(
      [...section.matchAll(/`(GET|POST|PATCH|DELETE) (\/[^\s`?]*)/g)].map(
        ([, method, path]) => `${method} ${path}`,
      ),
    );
    const served = ROUTES.filter((route) => route.group !== 'desk').map(
      (route) => `${route.method} ${route.path}`,
    );
    expect([...listed].sort()).toEqual([...new Set(served)].sort());
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
