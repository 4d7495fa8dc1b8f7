/**
 * `npm run admin` as the author runs it against a local stack: the files `npm start` leaves
 * (local.json and keys/) written for a test's table, and the command run in a child process that
 * knows nothing of the test's environment but those files.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { keyFilePath, LOCAL_KEY_PURPOSES } from '../../dev/key-files';
import { secretValueEnv } from '../../functions/runtime/secret-names';
import type { TestStack } from './stack';

const ROOT = join(__dirname, '../..');

/** A fresh data folder with the local stack's files for this table and the current test keys. */
export function localStackFiles(stack: TestStack, prefix: string): string {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(
    join(dataDir, 'local.json'),
    JSON.stringify({
      endpoint: stack.endpoint,
      tableName: stack.tableName,
      apiUrl: 'https://blog.example/api',
    }),
  );
  for (const purpose of LOCAL_KEY_PURPOSES) {
    mkdirSync(dirname(keyFilePath(dataDir, purpose)), { recursive: true });
    writeFileSync(keyFilePath(dataDir, purpose), process.env[secretValueEnv(purpose)]!);
  }
  return dataDir;
}

/** Runs `npm run admin -- …args` in German against the files in `dataDir` (`extraEnv` last). */
export function runAdmin(
  dataDir: string,
  args: string[],
  timeoutMs: number,
  extraEnv: NodeJS.ProcessEnv = {},
) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LESERPOST_DATA: dataDir,
    LANG: 'de_DE.UTF-8',
    ...extraEnv,
  };
  for (const name of ['TABLE_NAME', 'DYNAMODB_ENDPOINT', 'LESERPOST_LANG']) delete env[name];
  for (const purpose of LOCAL_KEY_PURPOSES) delete env[secretValueEnv(purpose)];
  const result = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'bin/admin.ts'), ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}
