/**
 * The one-time migration of stored addresses from the legacy v1 envelope (AES-GCM under the one
 * master secret) to v2 (HPKE), for `npm run admin -- reseal` only: no Lambda imports this module
 * (test/infra/permissions.test.ts would see its Scan), and no role may Scan.
 *
 * A full pass is unavoidable here: sealed addresses sit on comments and wishes of every status
 * (and on whatever item type stores one next), and no index lists them all; the moderation index
 * holds only items waiting for the author. So it is a paginated Scan, filtered to v1 values,
 * that hands back its cursor so the caller can resume after an interruption.
 */
import { GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../runtime/config';
import { documentClient } from '../runtime/dynamo';
import { type Key, keys } from './keys';

export interface SealedItem {
  key: Key;
  emailEnc: string;
  emailHash?: string;
}

/** One page of items whose address is still in the legacy envelope. */
export async function legacySealedPage(
  start: Key | undefined,
  pageSize: number,
): Promise<{ items: SealedItem[]; next: Key | undefined }> {
  const page = await documentClient().send(
    new ScanCommand({
      TableName: config().tableName,
      ExclusiveStartKey: start,
      Limit: pageSize,
      FilterExpression: 'begins_with(emailEnc, :v1)',
      ProjectionExpression: 'pk, sk, emailEnc, emailHash',
      ExpressionAttributeValues: { ':v1': 'v1.' },
    }),
  );
  return {
    items: (page.Items ?? []).map((item) => ({
      key: { pk: String(item.pk), sk: String(item.sk) },
      emailEnc: String(item.emailEnc),
      emailHash: typeof item.emailHash === 'string' ? item.emailHash : undefined,
    })),
    next: page.LastEvaluatedKey as Key | undefined,
  };
}

const isConditionFailure = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';

/**
 * Replaces the sealed address (and its lookup hash) only if the stored value is still the one that
 * was read: a concurrent change wins, and running the migration twice changes nothing.
 */
export async function replaceSealed(
  item: SealedItem,
  emailEnc: string,
  emailHash: string | undefined,
): Promise<boolean> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: config().tableName,
        Key: item.key,
        UpdateExpression: emailHash ? 'SET emailEnc = :new, emailHash = :hash' : 'SET emailEnc = :new',
        ConditionExpression: 'emailEnc = :old',
        ExpressionAttributeValues: {
          ':new': emailEnc,
          ':old': item.emailEnc,
          ...(emailHash ? { ':hash': emailHash } : {}),
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** A trusted address stays trusted under its new lookup hash (the old marker stays harmless). */
export async function carryTrust(oldHash: string, newHash: string): Promise<void> {
  const old = await documentClient().send(
    new GetCommand({ TableName: config().tableName, Key: keys.trustedEmail(oldHash), ConsistentRead: true }),
  );
  if (!old.Item) return;
  try {
    await documentClient().send(
      new PutCommand({
        TableName: config().tableName,
        Item: { ...old.Item, ...keys.trustedEmail(newHash) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}
