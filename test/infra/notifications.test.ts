/**
 * The notification pipeline as deployed: the stream event source (filters, bisect, retries,
 * partial batch responses, failure queue), the alarms that mail the author, and SES permissions
 * limited to the configured identity. The filters are checked against the notifier's own
 * classify(): they may skip records, but never one the notifier would mail about.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { LIMITS } from '../../functions/core/limits';
import { classify, isResendRequest } from '../../functions/notifier/handler';
import { readerNotifications } from '../../functions/notifier/reader-mails';
import { DIGEST_SWEEP_EVENT } from '../../functions/notifier/sweep-event';
import { NOTIFIER_RETRY_ATTEMPTS } from '../../lib/constructs/notifications';
import {
  asArray,
  FULL_CONTEXT,
  resourceNamed,
  resourcesOf,
  type Synthesised,
  statementsOfRole,
  synthLeserpost,
} from './synth';

let synthesised: Synthesised;
beforeAll(() => {
  synthesised = synthLeserpost(FULL_CONTEXT);
}, 120_000);

const eventSource = () =>
  resourcesOf(synthesised.apiTemplate, 'AWS::Lambda::EventSourceMapping').map(([, mapping]) => mapping);

describe('the stream event source of the notifier', () => {
  it('reads the table stream with bisect, bounded retries, partial batch responses and a failure queue', () => {
    const mappings = eventSource();
    expect(mappings).toHaveLength(1);
    const [failuresId] = resourceNamed(synthesised.apiTemplate, 'AWS::SQS::Queue', 'NotificationsFailures');
    const [notifierId] = resourceNamed(
      synthesised.apiTemplate,
      'AWS::Lambda::Function',
      'NotificationsNotifier',
    );
    expect(mappings[0]!.Properties).toMatchObject({
      FunctionName: { Ref: notifierId },
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: NOTIFIER_RETRY_ATTEMPTS,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [failuresId, 'Arn'] } } },
    });
    expect(NOTIFIER_RETRY_ATTEMPTS).toBeGreaterThan(0);
    expect(JSON.stringify(mappings[0]!.Properties.EventSourceArn)).toMatch(
      /"Fn::GetStackOutput":\{"StackName":"LeserpostData".*StreamArn/,
    );
  });

  it('uses SES in the notifier, with the shared configuration', () => {
    const [, notifier] = resourceNamed(
      synthesised.apiTemplate,
      'AWS::Lambda::Function',
      'NotificationsNotifier',
    );
    expect(notifier.Properties.Environment.Variables).toMatchObject({
      MAIL_TRANSPORT: 'ses',
      AUTHOR_EMAIL: FULL_CONTEXT.authorEmail,
      SENDER_EMAIL: FULL_CONTEXT.senderEmail,
      SITE_LANG: 'en',
    });
    expect(notifier.Properties.Environment.Variables.API_BASE_URL).toBeDefined();
    // It opens addresses and signs author links; it never seals, so it gets no public key.
    const variables = notifier.Properties.Environment.Variables;
    expect(JSON.stringify(variables.SEAL_PRIVATE_KEY_SECRET_ARN)).toMatch(/EmailSealKey/);
    expect(JSON.stringify(variables.AUTHOR_LINK_SECRET_ARN)).toMatch(/AuthorLinkKey/);
    expect(JSON.stringify(variables.LEGACY_MASTER_SECRET_ARN)).toMatch(/MasterSecret/);
    expect(variables.HASH_KEYS_SECRET_ARN).toBeUndefined();
    expect(variables.EMAIL_SEAL_PUBLIC_KEY).toBeUndefined();
  });

  it('-c legacyMasterSecret=retired (after the reseal): the notifier no longer names or reads the old secret', () => {
    const retired = synthLeserpost({ ...FULL_CONTEXT, legacyMasterSecret: 'retired' });
    const [, notifier] = resourceNamed(retired.apiTemplate, 'AWS::Lambda::Function', 'NotificationsNotifier');
    expect(notifier.Properties.Environment.Variables.LEGACY_MASTER_SECRET_ARN).toBeUndefined();
    const notifierRole: string = notifier.Properties.Role['Fn::GetAtt'][0];
    const readable = statementsOfRole(retired.apiTemplate, notifierRole).flatMap((s) => asArray(s.Resource));
    expect(JSON.stringify(readable)).not.toMatch(/MasterSecret/);
    expect(JSON.stringify(readable)).toMatch(/EmailSealKey/);
  }, 120_000);

  describe('filters, against the notifier’s classify()', () => {
    const patterns = () =>
      (eventSource()[0]!.Properties.FilterCriteria.Filters as { Pattern: string }[]).map((filter) =>
        JSON.parse(filter.Pattern),
      );
    const passes = (record: DynamoDBRecord) => patterns().some((pattern) => matches(pattern, record));

    const comment = { pk: 'COMMENT#01J0', sk: 'COMMENT', kind: 'comment', id: '01J0', status: 'pending' };
    const wish = {
      pk: 'WISH#01J1',
      sk: 'WISH',
      kind: 'wish',
      id: '01J1',
      status: 'accepted',
      notifyWhenWritten: true,
    };
    const records: [string, DynamoDBRecord][] = [
      ['a new comment', record('INSERT', comment)],
      ['a new wish', record('INSERT', { ...wish, status: 'new' })],
      ['an imported comment', record('INSERT', { ...comment, importedFrom: 'wordpress:17' })],
      ['a wish that became written', record('MODIFY', { ...wish, status: 'written' }, wish)],
      [
        'a written wish whose wisher did not ask',
        record('MODIFY', { ...wish, status: 'written', notifyWhenWritten: false }, wish),
      ],
      [
        'a written wish edited again',
        record('MODIFY', { ...wish, status: 'written', votes: 3 }, { ...wish, status: 'written' }),
      ],
      [
        'an approved comment whose writer asked to hear of it',
        record('MODIFY', { ...comment, status: 'approved', notifyReplies: true }, comment),
      ],
      ['an approved reply', record('MODIFY', { ...comment, status: 'approved', parentId: '01HZ' }, comment)],
      ['a visible reply', record('INSERT', { ...comment, status: 'approved', parentId: '01HZ' })],
      [
        'a confirmation request',
        record('INSERT', { pk: 'OPTIN#01J2', sk: 'OPTIN', kind: 'confirmation-request', id: '01J2' }),
      ],
      [
        'a "Meine Daten" request',
        record('INSERT', { pk: 'DATAREQ#01J3', sk: 'DATAREQ', kind: 'data-request', id: '01J3' }),
      ],
      [
        'an erasure notice',
        record('INSERT', { pk: 'ERASURE#01J4', sk: 'ERASURE', kind: 'erasure', id: '01J4' }),
      ],
      [
        'an erasure notice expiring (TTL delete)',
        record('REMOVE', undefined, { pk: 'ERASURE#01J4', sk: 'ERASURE', kind: 'erasure', id: '01J4' }),
      ],
      [
        'an edit that sent an approved comment back to moderation (its notice)',
        record('INSERT', {
          pk: 'HELDEDIT#01J5',
          sk: 'HELDEDIT',
          kind: 'held-edit',
          id: '01J5',
          commentId: '01J0',
        }),
      ],
      [
        'the edit itself (the notice mails)',
        record('MODIFY', { ...comment, text: 'neu' }, { ...comment, status: 'approved' }),
      ],
      [
        'her "Resend now" at the desk',
        record('INSERT', { pk: 'MAILRESEND#29876543', sk: 'REQUEST', kind: 'mail-resend-request', id: '1' }),
      ],
      ['a vote', record('INSERT', { pk: 'WISH#01J1', sk: 'VOTE#abc', kind: 'vote', id: 'v1' })],
      ['a sent-mail marker', record('INSERT', { pk: 'MAIL#x', sk: 'MAIL', id: 'x', state: 'sending' })],
      ['a rate-limit counter', record('INSERT', { pk: 'RATE#ip#2025', sk: 'RATE', count: 1 })],
      ['an expired item (TTL delete)', record('REMOVE', undefined, comment)],
    ];

    const actsOn = (streamRecord: DynamoDBRecord) =>
      classify(streamRecord) !== undefined ||
      readerNotifications(streamRecord).length > 0 ||
      isResendRequest(streamRecord);

    it.each(records)('let %s through if and only if the notifier acts on it', (_name, streamRecord) => {
      expect(passes(streamRecord)).toBe(actsOn(streamRecord));
    });

    it('let an approved top-level comment through although nobody asked (five filters at most)', () => {
      // Lambda takes five filter criteria per event source; the notifier skips this one itself.
      const plain = record('MODIFY', { ...comment, status: 'approved' }, comment);
      expect(patterns()).toHaveLength(5);
      expect(passes(plain)).toBe(true);
      expect(actsOn(plain)).toBe(false);
    });

    it('let every kind of notification through', () => {
      const kinds = records.flatMap(([, r]) => [
        classify(r)?.type,
        ...readerNotifications(r).map((n) => n.type),
      ]);
      expect(new Set(kinds.filter(Boolean))).toEqual(
        new Set([
          'comment',
          'wish',
          'written',
          'confirmation',
          'reply',
          'approved',
          'data-link',
          'erasure',
          'held-edit',
        ]),
      );
    });
  });
});

describe('alarms', () => {
  it('watch the failure queue and notifier errors and notify an encrypted topic that mails the author', () => {
    const [topicId, topic] = resourceNamed(synthesised.apiTemplate, 'AWS::SNS::Topic', 'NotificationsAlarms');
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    const subscriptions = resourcesOf(synthesised.apiTemplate, 'AWS::SNS::Subscription').map(
      ([, s]) => s.Properties,
    );
    expect(subscriptions).toEqual([
      expect.objectContaining({
        Protocol: 'email',
        Endpoint: FULL_CONTEXT.authorEmail,
        TopicArn: { Ref: topicId },
      }),
    ]);

    const alarms = resourcesOf(synthesised.apiTemplate, 'AWS::CloudWatch::Alarm').map(
      ([, a]) => a.Properties,
    );
    expect(alarms).toHaveLength(2);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm).toMatchObject({ ComparisonOperator: 'GreaterThanThreshold', Threshold: 0 });
    }
    const [failuresId] = resourceNamed(synthesised.apiTemplate, 'AWS::SQS::Queue', 'NotificationsFailures');
    const [notifierId] = resourceNamed(
      synthesised.apiTemplate,
      'AWS::Lambda::Function',
      'NotificationsNotifier',
    );
    const queueAlarm = alarms.find((a) => a.Namespace === 'AWS/SQS');
    expect(queueAlarm).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible' });
    expect(JSON.stringify(queueAlarm!.Dimensions)).toContain(failuresId);
    // What the mail tells her to do: nothing at first (the sweep resends), else the desk's button.
    expect(queueAlarm!.AlarmDescription).toContain(
      `resent automatically every ${LIMITS.readers.digestSweepMinutes} minutes`,
    );
    expect(queueAlarm!.AlarmDescription).toContain('"Resend now"');
    expect(queueAlarm!.AlarmDescription).toContain('Developers: `npm run admin -- mail-retry`');
    const errorAlarm = alarms.find((a) => a.Namespace === 'AWS/Lambda');
    expect(errorAlarm).toMatchObject({ MetricName: 'Errors', Dimensions: [{ Value: { Ref: notifierId } }] });
  });

  it('may be published to by this account’s CloudWatch alarms only, through the topic policy and the key', () => {
    const [topicId, topic] = resourceNamed(synthesised.apiTemplate, 'AWS::SNS::Topic', 'NotificationsAlarms');
    const fromCloudWatch = (statements: any[]) =>
      statements.find((s) => s.Effect === 'Allow' && s.Principal?.Service === 'cloudwatch.amazonaws.com');
    const [, topicPolicy] = resourcesOf(synthesised.apiTemplate, 'AWS::SNS::TopicPolicy').find(([, p]) =>
      JSON.stringify(p.Properties.Topics).includes(topicId),
    )!;
    const publish = fromCloudWatch(topicPolicy.Properties.PolicyDocument.Statement);
    expect(publish.Action).toBe('sns:Publish');
    expect(publish.Condition.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    expect(JSON.stringify(publish.Condition.ArnLike['aws:SourceArn'])).toContain(':alarm:*');

    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0];
    const [, key] = resourceNamed(synthesised.apiTemplate, 'AWS::KMS::Key', keyId);
    const useKey = fromCloudWatch(key.Properties.KeyPolicy.Statement);
    expect(asArray(useKey.Action).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(useKey.Condition).toEqual(publish.Condition);
  });

  it('keep the failure queue encrypted and reachable over TLS only', () => {
    const [failuresId, queue] = resourceNamed(
      synthesised.apiTemplate,
      'AWS::SQS::Queue',
      'NotificationsFailures',
    );
    expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    const [, policy] = resourcesOf(synthesised.apiTemplate, 'AWS::SQS::QueuePolicy').find(([, p]) =>
      JSON.stringify(p.Properties.Queues).includes(failuresId),
    )!;
    expect(policy.Properties.PolicyDocument.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    );
  });
});

describe('SES', () => {
  it('has an identity for the sender address (and the author’s, for the sandbox)', () => {
    const identities = resourcesOf(synthesised.apiTemplate, 'AWS::SES::EmailIdentity').map(
      ([, identity]) => identity.Properties.EmailIdentity,
    );
    expect(identities.sort()).toEqual([FULL_CONTEXT.authorEmail, FULL_CONTEXT.senderEmail].sort());
  });

  it('lets only the notifier and the desk (its login links) send, and only from the configured identities', () => {
    const sendStatements = resourcesOf(synthesised.apiTemplate, 'AWS::IAM::Policy').flatMap(([, policy]) =>
      (policy.Properties.PolicyDocument.Statement as any[])
        .filter((s) => asArray(s.Action).some((a: string) => a.startsWith('ses:')))
        .map((s) => ({ roles: policy.Properties.Roles, statement: s })),
    );
    const roleId = (prefix: string) => resourceNamed(synthesised.apiTemplate, 'AWS::IAM::Role', prefix)[0];
    expect(
      sendStatements
        .map(({ roles }) => roles)
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    ).toEqual([[{ Ref: roleId('DeskFunctionRole') }], [{ Ref: roleId('NotificationsNotifierRole') }]]);
    const identityIds = resourcesOf(synthesised.apiTemplate, 'AWS::SES::EmailIdentity').map(([id]) => id);
    for (const { statement } of sendStatements) {
      expect(asArray(statement.Action).sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
      const resources = asArray(statement.Resource).map((r) => JSON.stringify(r));
      for (const resource of resources) {
        expect(resource).not.toBe('"*"');
        expect(resource).toMatch(/identity\/|configuration-set\//);
      }
      for (const id of identityIds) expect(resources.join()).toContain(id);
    }
  });

  it('needs no second identity when the author sends as herself', () => {
    const same = synthLeserpost({ ...FULL_CONTEXT, senderEmail: FULL_CONTEXT.authorEmail });
    const identities = resourcesOf(same.apiTemplate, 'AWS::SES::EmailIdentity');
    expect(identities.map(([, i]) => i.Properties.EmailIdentity)).toEqual([FULL_CONTEXT.authorEmail]);
    const [notifierRoleId] = resourceNamed(same.apiTemplate, 'AWS::IAM::Role', 'NotificationsNotifierRole');
    expect(JSON.stringify(statementsOfRole(same.apiTemplate, notifierRoleId))).toContain(identities[0]![0]);
  }, 120_000);
});

function record(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  newImage: Record<string, unknown> | undefined,
  oldImage?: Record<string, unknown>,
): DynamoDBRecord {
  return {
    eventName,
    eventID: `${eventName}-${Math.random()}`,
    dynamodb: {
      SequenceNumber: '1',
      ...(newImage ? { NewImage: marshall(newImage) as never } : {}),
      ...(oldImage ? { OldImage: marshall(oldImage) as never } : {}),
    },
  };
}

/**
 * The part of Lambda's event filtering (EventBridge pattern syntax) the filters use: exact values,
 * prefix, exists, anything-but. As in EventBridge, `exists` looks at leaves: a pattern
 * `{"exists": false}` on a field that holds an object matches, because that field is no leaf.
 */
function matches(pattern: Record<string, any>, event: unknown): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    const value = isObject(event) ? event[key] : undefined;
    if (Array.isArray(rule)) return rule.some((alternative) => leafMatches(alternative, value));
    return matches(rule, value);
  });
}

function leafMatches(rule: unknown, value: unknown): boolean {
  const leaf = isObject(value) ? undefined : value;
  if (!isObject(rule)) return leaf !== undefined && leaf === rule;
  if ('exists' in rule) return rule.exists ? leaf !== undefined : leaf === undefined;
  if ('prefix' in rule) return typeof leaf === 'string' && leaf.startsWith(String(rule.prefix));
  if ('anything-but' in rule) return leaf !== undefined && !asArray(rule['anything-but']).includes(leaf);
  throw new Error(`The test's matcher does not know the rule ${JSON.stringify(rule)}`);
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

describe('the reply digest sweep', () => {
  it('runs the notifier on a schedule every few minutes with the sweep event', () => {
    const [, rule] = resourceNamed(synthesised.apiTemplate, 'AWS::Events::Rule', 'NotificationsDigestSweep');
    expect(rule.Properties.ScheduleExpression).toBe(`rate(${LIMITS.readers.digestSweepMinutes} minutes)`);
    const [target] = rule.Properties.Targets;
    expect(JSON.parse(target.Input)).toEqual(DIGEST_SWEEP_EVENT);
    expect(JSON.stringify(target.Arn)).toContain('NotificationsNotifier');
  });
});
