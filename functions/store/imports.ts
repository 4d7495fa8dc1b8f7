/**
 * Writes comments that come from another system's export. Unlike a reader's post, an imported
 * comment keeps its date and status, may be a placeholder for a deleted one, and is written with
 * a deterministic id so that running the same import twice stores nothing twice.
 */
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { isVisible } from '../core/moderation';
import { config } from '../runtime/config';
import { documentClient } from '../runtime/dynamo';
import { commentItem, type NewCommentRecord } from './comments';
import { keys } from './keys';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export type ImportRecord = Omit<NewCommentRecord, 'name' | 'text' | 'emailEnc' | 'emailHash'> & {
  name?: string;
  text?: string;
  emailEnc?: string;
  emailHash?: string;
  placeholder?: boolean;
  importedFrom: string;
};

export async function putImportedComment(record: ImportRecord): Promise<'imported' | 'exists'> {
  const table = config().tableName;
  const counted = isVisible(record.status);
  const listed = counted || record.placeholder === true;
  const items: TransactItem[] = [
    {
      Put: {
        TableName: table,
        Item: commentItem(record, listed),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
  if (counted) {
    items.push({
      Update: {
        TableName: table,
        Key: keys.pageCounter(record.page),
        UpdateExpression: 'ADD #count :one SET page = :page',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':one': 1, ':page': record.page },
      },
    });
    if (record.parentId) {
      items.push({
        Update: {
          TableName: table,
          Key: keys.comment(record.parentId),
          UpdateExpression: 'ADD visibleReplies :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1 },
        },
      });
    }
    if (record.emailHash) {
      items.push({
        Put: {
          TableName: table,
          Item: { ...keys.trustedEmail(record.emailHash), trustedAt: record.createdAt },
        },
      });
    }
  }
  try {
    await documentClient().send(new TransactWriteCommand({ TransactItems: items as never }));
    return 'imported';
  } catch (error) {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    if (reasons?.[0]?.Code === 'ConditionalCheckFailed') return 'exists';
    throw error;
  }
}
