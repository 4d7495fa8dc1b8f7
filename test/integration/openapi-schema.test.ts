/**
 * GET /openapi.json validated against the official OpenAPI 3.1 JSON schema, offline, with
 * @seriousme/openapi-schema-validator (ajv, the schema shipped in the package). The validator is an
 * ES module only, so it runs in a child node process; a broken copy of the document shows that
 * the check can fail.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { handler } from '../../functions/handlers/meta';
import { call, createTestStack } from '../support/stack';

const ROOT = join(__dirname, '../..');
const VALIDATE = `
  import { Validator } from '@seriousme/openapi-schema-validator';
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const validator = new Validator();
  const result = await validator.validate(JSON.parse(input));
  process.stdout.write(JSON.stringify({ valid: result.valid, version: validator.version, errors: result.errors }));
`;

function validate(document: unknown): { valid: boolean; version: string; errors?: unknown } {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', VALIDATE], {
    cwd: ROOT,
    input: JSON.stringify(document),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

beforeAll(async () => {
  await createTestStack();
});

it('GET /openapi.json is a valid OpenAPI 3.1 document', async () => {
  const response = await call(handler, { method: 'GET', path: '/openapi.json' });
  expect(response.status).toBe(200);
  const result = validate(response.body);
  expect(result.errors ?? []).toEqual([]);
  expect(result).toMatchObject({ valid: true, version: '3.1' });
}, 120_000);

it('and the check finds a broken document (an operation without its responses object)', async () => {
  const document = (await call(handler, { method: 'GET', path: '/openapi.json' })).body;
  const [path] = Object.keys(document.paths);
  const [method] = Object.keys(document.paths[path!]);
  document.paths[path!][method!].responses = 'none';
  expect(validate(document).valid).toBe(false);
}, 120_000);
