/**
 * The stateful part: the single table, its encryption key and the master secret. Everything here is
 * retained when the stack is deleted, and the table is deletion-protected, so the stateless API stack
 * can be replaced, renamed or torn down without touching a single comment.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  type GlobalSecondaryIndexProps,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { type IndexDefinition, TABLE_DEFINITION } from '../functions/store/table-definition';
import { acknowledge } from './nag';

/** Length of the generated master secret (alphanumeric: about 380 bits). */
export const MASTER_SECRET_LENGTH = 64;

export class DataStack extends Stack {
  readonly table: Table;
  /** Encrypts the table, its stream and backups, and the master secret. */
  readonly dataKey: Key;
  /** Root of every derived key: email encryption, lookup hashes, link signatures (core/privacy.ts). */
  readonly masterSecret: Secret;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.dataKey = new Key(this, 'DataKey', {
      description: 'Leserpost: encrypts the comments table and the master secret',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });

    this.table = new Table(this, 'Table', {
      partitionKey: attribute(TABLE_DEFINITION.partitionKey),
      sortKey: attribute(TABLE_DEFINITION.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: TABLE_DEFINITION.timeToLiveAttribute,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
    });
    for (const [indexName, index] of Object.entries(TABLE_DEFINITION.indexes)) {
      this.table.addGlobalSecondaryIndex(globalIndex(indexName, index));
    }

    this.masterSecret = new Secret(this, 'MasterSecret', {
      description: 'Leserpost master secret: every encryption, hashing and signing key is derived from it',
      encryptionKey: this.dataKey,
      removalPolicy: RemovalPolicy.RETAIN,
      generateSecretString: {
        passwordLength: MASTER_SECRET_LENGTH,
        excludePunctuation: true,
        includeSpace: false,
        requireEachIncludedType: true,
      },
    });
    acknowledge(this.masterSecret, {
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason:
        'The master secret is the root of the keys that encrypt every stored email address and sign the ' +
        'moderation links; an automatic rotation would make the stored addresses undecryptable. Rotation ' +
        'is a deliberate migration (re-encrypt, then switch), not a schedule.',
    });

    new CfnOutput(this, 'TableName', {
      value: this.table.tableName,
      description:
        'Admin CLI: npm run admin -- pending --table <this> --region <region> --secret-arn <MasterSecretArn>',
    });
    new CfnOutput(this, 'MasterSecretArn', {
      value: this.masterSecret.secretArn,
      description: 'Admin CLI: --secret-arn <this> (needed to read emails and sign links)',
    });
  }
}

function attribute(key: { name: string; type: 'S' | 'N' }) {
  return { name: key.name, type: key.type === 'N' ? AttributeType.NUMBER : AttributeType.STRING };
}

/**
 * A GSI from the table definition. DynamoDB always projects the table's and the index's own key
 * attributes, and refuses them in NonKeyAttributes, so they are left out of the INCLUDE list
 * (e.g. `votes`, the ranked index's sort key): what an index returns is unchanged.
 */
export function globalIndex(indexName: string, index: IndexDefinition): GlobalSecondaryIndexProps {
  const keys = {
    indexName,
    partitionKey: attribute(index.partitionKey),
    sortKey: attribute(index.sortKey),
  };
  if (index.projection === 'ALL') return { ...keys, projectionType: ProjectionType.ALL };
  const keyNames = new Set([
    TABLE_DEFINITION.partitionKey.name,
    TABLE_DEFINITION.sortKey.name,
    index.partitionKey.name,
    index.sortKey.name,
  ]);
  return {
    ...keys,
    projectionType: ProjectionType.INCLUDE,
    nonKeyAttributes: index.projection.filter((name) => !keyNames.has(name)),
  };
}
