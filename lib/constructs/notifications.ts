/**
 * Author notifications: the table's stream → notifier Lambda → SES. Only the records the notifier
 * acts on reach it (event filters); a failing mail is retried (bisecting the batch, partial batch
 * responses), then parked in an encrypted queue; the queue and notifier errors raise alarms that
 * mail the author through an encrypted SNS topic. SES may send only from the configured identity.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { type IGrantable, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { ConfigurationSet } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LIMITS } from '../../functions/core/limits';
import { DIGEST_SWEEP_EVENT } from '../../functions/notifier/sweep-event';
import { grantKeys } from '../key-grants';
import { acknowledge } from '../nag';
import { type DataResources, grantTableAccess, type TableAccess } from './data-access';
import { LeserpostFunction } from './lambda-function';
import { SenderIdentity } from './sender-identity';

export const NOTIFIER_ENTRY = 'functions/notifier/handler.ts';
export const NOTIFIER_RETRY_ATTEMPTS = 5;

/**
 * Sent-mail markers: claim, check, mark sent, release (functions/store/mail.ts); reader mail state
 * (confirmation, opt-out, digest); the due reply digests, one Query on the private moderation index.
 */
export const NOTIFIER_ACCESS: TableAccess = {
  actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'],
  indexes: ['moderation'],
};

/**
 * The stream records the notifier acts on (functions/notifier/handler.ts classify()): new comments
 * and wishes (not imported ones), and a wish that just became 'written' (its wisher or any voter may
 * have asked to hear about it; the handler looks). The handler checks again; the filters only save
 * invocations.
 */
export const STREAM_FILTERS = [
  insertOf('comment', 'COMMENT#'),
  insertOf('wish', 'WISH#'),
  FilterCriteria.filter({
    eventName: FilterRule.isEqual('MODIFY'),
    dynamodb: {
      NewImage: {
        kind: { S: FilterRule.isEqual('wish') },
        pk: { S: FilterRule.beginsWith('WISH#') },
        status: { S: FilterRule.isEqual('written') },
      },
      OldImage: { status: { S: FilterRule.notEquals('written') } },
    },
  }),
  // Items that exist to ask for one mail, one filter (five at most per source): a double opt-in
  // request (the confirmation mail), a "Meine Daten" request (her link), an erasure notice (the
  // author's mail with the counts), a held-edit notice (the author's mail about an approved
  // comment that an edit sent back to moderation), and her "Resend now" at the desk (the kept
  // failed mails resent).
  insertOf(
    ['confirmation-request', 'data-request', 'erasure', 'held-edit', 'mail-resend-request'],
    ['OPTIN#', 'DATAREQ#', 'ERASURE#', 'HELDEDIT#', 'MAILRESEND#'],
  ),
  // A held comment approved: her "approved" mail, and the reply mail to the parent's writer.
  FilterCriteria.filter({
    eventName: FilterRule.isEqual('MODIFY'),
    dynamodb: {
      NewImage: {
        kind: { S: FilterRule.isEqual('comment') },
        pk: { S: FilterRule.beginsWith('COMMENT#') },
        status: { S: FilterRule.isEqual('approved') },
      },
      OldImage: { status: { S: FilterRule.notEquals('approved') } },
    },
  }),
];

/** A new item of a kind (or of one of several), unless it came from an import of an old blog's comments. */
function insertOf(kind: string | string[], pkPrefix: string | string[]) {
  const kinds = ([] as string[]).concat(kind);
  const prefixes = ([] as string[]).concat(pkPrefix);
  return FilterCriteria.filter({
    eventName: FilterRule.isEqual('INSERT'),
    dynamodb: {
      NewImage: {
        kind: { S: FilterRule.or(...kinds) },
        pk: { S: prefixes.flatMap((prefix) => FilterRule.beginsWith(prefix)) },
        // On the leaf: 'exists: false' on the attribute's map would match imported items too.
        importedFrom: { S: FilterRule.notExists() },
      },
    },
  });
}

export interface NotificationsProps {
  data: DataResources & { table: Table };
  /** The runtime configuration shared with the API Lambdas (functions/runtime/config.ts). */
  environment: Record<string, string>;
  authorEmail: string;
  senderEmail: string;
  senderDomain: string;
  mailFromDomain: string;
  useExistingIdentity: boolean;
}

export class Notifications extends Construct {
  readonly notifier: LeserpostFunction;
  readonly failures: Queue;
  readonly alarmTopic: Topic;
  readonly sender: SenderIdentity;
  /** The SES configuration set every sender uses (SES_CONFIGURATION_SET). */
  readonly configurationSetName: string;
  private readonly sendResources: string[];

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    const stack = Stack.of(this);

    const configurationSet = new ConfigurationSet(this, 'MailConfiguration', { reputationMetrics: true });
    this.sender = new SenderIdentity(this, 'Mail', { ...props, configurationSet });

    this.notifier = new LeserpostFunction(this, 'Notifier', {
      entry: NOTIFIER_ENTRY,
      description: 'Leserpost notifier: table stream → author and wisher mails via SES',
      environment: {
        ...props.environment,
        MAIL_TRANSPORT: 'ses',
        SES_CONFIGURATION_SET: configurationSet.configurationSetName,
      },
      memorySize: 256,
      timeout: Duration.seconds(30),
    });
    const role = this.notifier.role;
    grantTableAccess(role, props.data, NOTIFIER_ACCESS);
    const keyEnvironment = grantKeys(this, 'notifier', role, props.data, () => {
      throw new Error('The notifier opens addresses; it needs no public key (lib/key-grants.ts).');
    });
    for (const [name, value] of Object.entries(keyEnvironment))
      this.notifier.function.addEnvironment(name, value);
    this.sendResources = [
      ...this.sender.identityArns,
      stack.formatArn({
        service: 'ses',
        resource: 'configuration-set',
        resourceName: configurationSet.configurationSetName,
      }),
    ];
    this.configurationSetName = configurationSet.configurationSetName;
    this.grantSendMail(role);

    this.failures = new Queue(this, 'Failures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.failures, {
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason:
        'This queue is itself the on-failure destination of the notifier stream: it only receives ' +
        'records whose mail failed after every retry, and an alarm fires on its first message.',
    });

    this.notifier.function.addEventSource(
      new DynamoEventSource(props.data.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        bisectBatchOnError: true,
        retryAttempts: NOTIFIER_RETRY_ATTEMPTS,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.failures),
        filters: STREAM_FILTERS,
      }),
    );
    // The reply digests: replies within the hour after a mail wait; this sweep sends the due ones.
    new Rule(this, 'DigestSweep', {
      description: 'Leserpost: send the reply digests that are due',
      schedule: Schedule.rate(Duration.minutes(LIMITS.readers.digestSweepMinutes)),
      targets: [
        new LambdaFunction(this.notifier.function, {
          event: RuleTargetInput.fromObject(DIGEST_SWEEP_EVENT),
          retryAttempts: 2,
        }),
      ],
    });
    acknowledge(role, {
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams, which the stream event source needs, has no resource-level permissions; ' +
        'reading the records (GetRecords, GetShardIterator, DescribeStream) is limited to this stream.',
    });

    const alarmKey = new Key(this, 'AlarmKey', {
      description: 'Leserpost: encrypts the operational alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.alarmTopic = new Topic(this, 'Alarms', {
      displayName: 'Leserpost alarms',
      masterKey: alarmKey,
      enforceSSL: true,
    });
    // CloudWatch publishes the alarms of this account (and only those) to the encrypted topic: it
    // needs the topic policy (which replaces SNS's default one) and the key.
    const fromOwnAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: {
        'aws:SourceArn': stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    this.alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: fromOwnAlarms,
      }),
    );
    alarmKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromOwnAlarms,
      }),
    );
    this.alarmTopic.addSubscription(new EmailSubscription(props.authorEmail));
    const action = new SnsAction(this.alarmTopic);

    new Alarm(this, 'FailedMailsAlarm', {
      alarmDescription:
        'Leserpost: a notification could not be sent after all retries; it is kept in the table and ' +
        `resent automatically every ${LIMITS.readers.digestSweepMinutes} minutes until it goes out. ` +
        'The desk (Settings) shows the waiting mails and resends them with one button ("Resend now"); ' +
        'check SES with `npm run admin -- doctor`. Developers: `npm run admin -- mail-retry`.',
      metric: this.failures.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(action);

    new Alarm(this, 'NotifierErrorsAlarm', {
      alarmDescription: 'Leserpost: the notifier Lambda failed (crash or timeout); mails are being retried.',
      metric: this.notifier.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(action);
  }

  /** Sending from the configured identity only (the notifier; the desk's login links). */
  grantSendMail(role: IGrantable): void {
    role.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'SendFromConfiguredIdentity',
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: this.sendResources,
      }),
    );
  }
}
