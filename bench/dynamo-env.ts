/**
 * One DynamoDB Local (in memory) for the whole bench run, a fresh table per section, and the
 * handlers called in process exactly like the integration tests call them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningDynamo, startDynamoLocal } from '../dev/dynamo-local';
import type { LambdaHttpHandler } from '../dev/http-adapter';
import { HANDLER_ENTRIES, type HandlerGroup } from '../functions/routes';
import { createTestStack, type TestStack } from '../test/support/stack';

export const ROOT = join(__dirname, '..');

let running: RunningDynamo | undefined;

export async function benchDynamo(): Promise<RunningDynamo> {
  if (!running) {
    // A busy machine can take minutes to start a JVM; the bench waits rather than fails.
    running = await startDynamoLocal({ readyWithinMs: 300_000 });
    process.env.DYNAMODB_ENDPOINT = running.endpoint;
  }
  return running;
}

export async function stopBenchDynamo(): Promise<void> {
  await running?.stop();
  running = undefined;
}

/** A fresh table and the handlers' environment: no moderation hold, no browser-only guards. */
export async function benchTable(env: Record<string, string> = {}): Promise<TestStack> {
  await benchDynamo();
  return createTestStack({ MODERATION: 'none', BROWSER_GUARDS: 'off', ...env });
}

/** The handler of a group if its entry file exists yet (other groups are written concurrently). */
export async function loadHandler(group: HandlerGroup): Promise<LambdaHttpHandler | undefined> {
  const entry = join(ROOT, HANDLER_ENTRIES[group]);
  if (!existsSync(entry)) return undefined;
  const module = (await import(entry)) as { handler: LambdaHttpHandler };
  return module.handler;
}
