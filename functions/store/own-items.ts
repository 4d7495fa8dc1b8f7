/**
 * Her own comments or wishes by id, only the attributes that say what became of them (status, the
 * placeholder mark and the hash of the key her browser keeps): one consistent BatchGetItem, so an
 * approval shows at once. Nothing else of an item leaves this module.
 */
import { BatchGetCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import { LIMITS } from '../core/limits';
import { config } from '../runtime/config';
import { documentClient } from '../runtime/dynamo';
import { keys } from './keys';

export async function ownItems(
  kind: 'comment' | 'wish',
  ids: readonly string[],
): Promise<Map<string, Record<string, unknown>> | 'busy'> {
  const table = config().tableName;
  const found = new Map<string, Record<string, unknown>>();
  let request: Record<string, unknown> | undefined = {
    [table]: {
      Keys: ids.map((id) => keys[kind](id)),
      ProjectionExpression: 'id, #status, placeholder, editKeyHash, wishKeyHash',
      ExpressionAttributeNames: { '#status': 'status' },
      ConsistentRead: true,
    },
  };
  for (let attempt = 0; request; attempt++) {
    // Keys still unprocessed after a few pauses: DynamoDB is busy, her browser may ask again later.
    if (attempt >= LIMITS.transactionAttempts) return 'busy';
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    const result: BatchGetCommandOutput = await documentClient().send(
      new BatchGetCommand({ RequestItems: request as never }),
    );
    for (const item of result.Responses?.[table] ?? []) found.set(String(item.id), item);
    request =
      result.UnprocessedKeys && Object.keys(result.UnprocessedKeys).length > 0
        ? result.UnprocessedKeys
        : undefined;
  }
  return found;
}
