/**
 * The one way a public route reads the table: a single Query on a public index, asking only for
 * public attributes, with an opaque cursor that can only continue the same query.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../runtime/config';
import { documentClient } from '../runtime/dynamo';
import { encodeCursor, verifyCursor } from './keys';
import { PUBLIC_ATTRIBUTES, TABLE_DEFINITION } from './table-definition';

export type PublicIndex = 'public' | 'public2' | 'recent' | 'ranked';
type PublicAttribute = (typeof PUBLIC_ATTRIBUTES)[number];

export interface PublicQuery {
  index: PublicIndex;
  partition: string;
  /** Ascending by the index's sort key when true. */
  forward: boolean;
  limit: number;
  cursor?: string;
  /** Attributes to read; all of them must be public. Defaults to every public attribute. */
  attributes?: readonly PublicAttribute[];
}

export interface PublicPage {
  items: Record<string, unknown>[];
  cursor: string | null;
}

export async function queryPublicIndex(query: PublicQuery): Promise<PublicPage | 'invalid_cursor'> {
  const { partitionKey } = TABLE_DEFINITION.indexes[query.index];
  const startKey = verifyCursor(query.cursor, query.index, query.partition);
  if (startKey === 'invalid') return 'invalid_cursor';
  const attributes = query.attributes ?? PUBLIC_ATTRIBUTES;
  const result = await documentClient().send(
    new QueryCommand({
      TableName: config().tableName,
      IndexName: query.index,
      KeyConditionExpression: '#partition = :partition',
      ExpressionAttributeNames: {
        '#partition': partitionKey.name,
        ...Object.fromEntries(attributes.map((name, i) => [`#a${i}`, name])),
      },
      ExpressionAttributeValues: { ':partition': query.partition },
      ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
      ScanIndexForward: query.forward,
      Limit: query.limit,
      ExclusiveStartKey: startKey,
    }),
  );
  return { items: result.Items ?? [], cursor: encodeCursor(result.LastEvaluatedKey) };
}
