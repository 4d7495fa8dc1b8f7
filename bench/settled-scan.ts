/**
 * The whole table once it has settled: scanned until two scans a second apart agree, so a verdict
 * is never taken while a request that was cut off (or is still being handled) commits.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { scanTable } from '../dev/dynamo-local';

export async function settledScan(
  client: DynamoDBClient,
  tableName: string,
): Promise<Record<string, unknown>[]> {
  let previous = '';
  for (;;) {
    const items = await scanTable(client, tableName);
    const fingerprint = JSON.stringify(items.map((item) => [item.pk, item.sk, item.count, item.votes]));
    if (fingerprint === previous) return items;
    previous = fingerprint;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
