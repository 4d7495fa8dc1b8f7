/**
 * The stateful part: the single table, its encryption key and the key secrets (one per purpose). Everything here is
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
import type { SecretPurpose } from '../functions/runtime/secret-names';
import { type IndexDefinition, TABLE_DEFINITION } from '../functions/store/table-definition';
import { acknowledge } from './nag';

/** Length of each generated key secret (alphanumeric: about 380 bits). */
export const MASTER_SECRET_LENGTH = 64;

export class DataStack extends Stack {
  readonly table: Table;
  /** Encrypts the table, its stream and backups, and the master secret. */
  readonly dataKey: Key;
  /**
   * One secret per key purpose (functions/runtime/secret-names.ts), so IAM can tell them apart:
   * the seed of the key pair that opens addresses, the author and reader link keys, the hash keys.
   * `legacyMaster` is the one master secret of before, kept only for `npm run admin -- reseal`.
   */
  readonly secrets: Record<SecretPurpose, Secret>;
  /** The legacy master secret (same as secrets.legacyMaster). */
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

    // The logical id stays 'MasterSecret': a deployed stack keeps its secret (and the addresses
    // sealed with it stay readable until the reseal ran).
    this.masterSecret = keySecret(
      this,
      'MasterSecret',
      'the legacy master secret of before keys were separated: opens v1 addresses until `npm run admin -- reseal` ran; nothing new uses it',
    );
    this.secrets = {
      legacyMaster: this.masterSecret,
      sealPrivateKey: keySecret(
        this,
        'EmailSealKey',
        'seed of the HPKE key pair that opens stored email addresses (notifier, desk, admin)',
      ),
      authorLink: keySecret(this, 'AuthorLinkKey', 'signs the moderation and desk links in the author mails'),
      readerLink: keySecret(
        this,
        'ReaderLinkKey',
        'signs the links in mails to readers (confirm, unsubscribe, data access)',
      ),
      hashKeys: keySecret(
        this,
        'HashKeys',
        'root of the keyed hashes (email lookup, client IP, form tokens, idempotency, rate limits, voters, edit keys)',
      ),
    };

    new CfnOutput(this, 'TableName', {
      value: this.table.tableName,
      description:
        'Admin CLI: npm run admin -- pending --table <this> --region <region> --seal-key-arn <EmailSealKeyArn>',
    });
    new CfnOutput(this, 'MasterSecretArn', {
      value: this.masterSecret.secretArn,
      description: 'Admin CLI: --secret-arn <this>, only for npm run admin -- reseal (legacy)',
    });
    new CfnOutput(this, 'EmailSealKeyArn', {
      value: this.secrets.sealPrivateKey.secretArn,
      description: 'Admin CLI: --seal-key-arn <this> (shows email addresses, import, reseal)',
    });
    new CfnOutput(this, 'HashKeysArn', {
      value: this.secrets.hashKeys.secretArn,
      description: 'Admin CLI: --hash-key-arn <this> (import, reseal)',
    });
  }
}

/** A random key secret, encrypted with the data key, retained, never rotated on a schedule. */
function keySecret(stack: DataStack, id: string, purpose: string): Secret {
  const secret = new Secret(stack, id, {
    description: `Leserpost key: ${purpose}`,
    encryptionKey: stack.dataKey,
    removalPolicy: RemovalPolicy.RETAIN,
    generateSecretString: {
      passwordLength: MASTER_SECRET_LENGTH,
      excludePunctuation: true,
      includeSpace: false,
      requireEachIncludedType: true,
    },
  });
  acknowledge(secret, {
    id: 'AwsSolutions::AwsSolutions-SMG4',
    reason:
      'A key secret: the sealing seed opens every stored address, the hash keys find them, the link keys ' +
      'verify links already mailed; an automatic rotation would break all of that. Rotation is a ' +
      'deliberate migration (reseal / re-hash, then switch), not a schedule.',
  });
  return secret;
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
