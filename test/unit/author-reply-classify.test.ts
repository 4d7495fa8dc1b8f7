/** Her own reply from the desk does not mail her; a reader's comment does. */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { classify } from '../../functions/notifier/handler';

const insert = (item: Record<string, unknown>): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: { NewImage: marshall(item) as never },
});

const comment = {
  pk: 'COMMENT#01J0000000000000000000000A',
  sk: 'COMMENT',
  kind: 'comment',
  id: '01J0000000000000000000000A',
};

describe('the notifier on a new comment', () => {
  it('mails the author about a reader comment', () => {
    expect(classify(insert(comment))?.type).toBe('comment');
  });
  it('does not mail her about her own reply from the desk', () => {
    expect(classify(insert({ ...comment, byAuthor: true }))).toBeUndefined();
  });
});
