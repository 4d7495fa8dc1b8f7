/**
 * The stateful stack: the table exactly as functions/store/table-definition.ts describes it (the
 * local stack builds the same one), kept safe (retain, deletion protection, PITR), encrypted with
 * the stack's key, and a generated master secret that survives the stack.
 */
import { Match } from 'aws-cdk-lib/assertions';
import {
  PRIVATE_ATTRIBUTES,
  PUBLIC_ATTRIBUTES,
  TABLE_DEFINITION,
} from '../../functions/store/table-definition';
import { MASTER_SECRET_LENGTH } from '../../lib/data-stack';
import { FULL_CONTEXT, resourceNamed, resourcesOf, type Synthesised, synthLeserpost } from './synth';

let synthesised: Synthesised;
beforeAll(() => {
  synthesised = synthLeserpost(FULL_CONTEXT);
}, 120_000);

const table = () => resourceNamed(synthesised.dataTemplate, 'AWS::DynamoDB::Table', 'Table')[1];

type KeySchema = { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
type Gsi = {
  IndexName: string;
  KeySchema: KeySchema;
  Projection: { ProjectionType: string; NonKeyAttributes?: string[] };
};

describe('the table', () => {
  it('has the key schema and attribute types of the table definition', () => {
    const { Properties } = table();
    expect(Properties.KeySchema).toEqual([
      { AttributeName: TABLE_DEFINITION.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: TABLE_DEFINITION.sortKey.name, KeyType: 'RANGE' },
    ]);
    const types = Object.fromEntries(
      (Properties.AttributeDefinitions as { AttributeName: string; AttributeType: string }[]).map((a) => [
        a.AttributeName,
        a.AttributeType,
      ]),
    );
    const expected: Record<string, string> = {
      [TABLE_DEFINITION.partitionKey.name]: TABLE_DEFINITION.partitionKey.type,
      [TABLE_DEFINITION.sortKey.name]: TABLE_DEFINITION.sortKey.type,
    };
    for (const index of Object.values(TABLE_DEFINITION.indexes)) {
      expected[index.partitionKey.name] = index.partitionKey.type;
      expected[index.sortKey.name] = index.sortKey.type;
    }
    expect(types).toEqual(expected);
    expect(types.votes).toBe('N'); // the ranked index sorts numerically
  });

  it('has exactly the indexes of the table definition, with their keys and projections', () => {
    const indexes = table().Properties.GlobalSecondaryIndexes as Gsi[];
    expect(indexes.map((index) => index.IndexName).sort()).toEqual(
      Object.keys(TABLE_DEFINITION.indexes).sort(),
    );
    for (const index of indexes) {
      const definition = TABLE_DEFINITION.indexes[index.IndexName as keyof typeof TABLE_DEFINITION.indexes];
      expect(index.KeySchema).toEqual([
        { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: definition.sortKey.name, KeyType: 'RANGE' },
      ]);
      if (definition.projection === 'ALL') {
        expect(index.Projection).toEqual({ ProjectionType: 'ALL' });
        continue;
      }
      expect(index.Projection.ProjectionType).toBe('INCLUDE');
      // What a query returns: the listed attributes plus the table's and the index's keys.
      const keys = [
        TABLE_DEFINITION.partitionKey.name,
        TABLE_DEFINITION.sortKey.name,
        definition.partitionKey.name,
        definition.sortKey.name,
      ];
      const returned = new Set([...index.Projection.NonKeyAttributes!, ...keys]);
      expect([...returned].sort()).toEqual([...new Set([...definition.projection, ...keys])].sort());
      // DynamoDB refuses key attributes in NonKeyAttributes.
      for (const key of keys) expect(index.Projection.NonKeyAttributes).not.toContain(key);
    }
  });

  it('never projects a private attribute into a public index', () => {
    const indexes = table().Properties.GlobalSecondaryIndexes as Gsi[];
    const publicIndexes = indexes.filter(
      (index) => TABLE_DEFINITION.indexes[index.IndexName as keyof typeof TABLE_DEFINITION.indexes].public,
    );
    expect(publicIndexes.length).toBeGreaterThanOrEqual(3);
    for (const index of publicIndexes) {
      expect(index.Projection.ProjectionType).toBe('INCLUDE');
      for (const attribute of index.Projection.NonKeyAttributes!) {
        expect(PUBLIC_ATTRIBUTES as readonly string[]).toContain(attribute);
        expect(PRIVATE_ATTRIBUTES as readonly string[]).not.toContain(attribute);
      }
    }
  });

  it('stays within DynamoDB’s limit of 100 projected attributes summed over all indexes', () => {
    const indexes = table().Properties.GlobalSecondaryIndexes as Gsi[];
    const total = indexes.reduce((sum, index) => sum + (index.Projection.NonKeyAttributes?.length ?? 0), 0);
    expect(total).toBeLessThanOrEqual(100);
  });

  it('is on-demand, point-in-time recoverable, deletion-protected, retained, streamed, with TTL', () => {
    const resource = table();
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    expect(TABLE_DEFINITION.timeToLiveAttribute).toBe('expiresAt');
  });

  it('is encrypted with the stack’s own, rotated, retained KMS key', () => {
    const [keyId, key] = resourceNamed(synthesised.dataTemplate, 'AWS::KMS::Key', 'DataKey');
    expect(key.DeletionPolicy).toBe('Retain');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(table().Properties.SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
  });
});

describe('the key secrets, one per purpose', () => {
  it.each(['EmailSealKey', 'AuthorLinkKey', 'ReaderLinkKey', 'HashKeys', 'MasterSecret'])(
    '%s is generated by Secrets Manager: long, alphanumeric, encrypted with the data key, retained',
    (id) => {
      const [, secret] = resourceNamed(synthesised.dataTemplate, 'AWS::SecretsManager::Secret', id);
      const [keyId] = resourceNamed(synthesised.dataTemplate, 'AWS::KMS::Key', 'DataKey');
      expect(secret.DeletionPolicy).toBe('Retain');
      expect(MASTER_SECRET_LENGTH).toBeGreaterThanOrEqual(64);
      expect(secret.Properties).toMatchObject({
        KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        GenerateSecretString: {
          PasswordLength: MASTER_SECRET_LENGTH,
          ExcludePunctuation: true,
          IncludeSpace: false,
        },
      });
      // Generated, never a value written into the template.
      expect(secret.Properties.SecretString).toBeUndefined();
    },
  );

  it('are five distinct secrets', () => {
    expect(resourcesOf(synthesised.dataTemplate, 'AWS::SecretsManager::Secret')).toHaveLength(5);
  });

  it('the admin command line needs (and the table name) are outputs', () => {
    synthesised.dataTemplate.hasOutput('TableName', { Value: { Ref: Match.stringLikeRegexp('^Table') } });
    for (const [output, id] of [
      ['MasterSecretArn', 'MasterSecret'],
      ['EmailSealKeyArn', 'EmailSealKey'],
      ['HashKeysArn', 'HashKeys'],
    ]) {
      synthesised.dataTemplate.hasOutput(output!, {
        Value: { Ref: Match.stringLikeRegexp(`^${id}[0-9A-F]{8}$`) },
      });
    }
  });
});

it('keeps everything stateful in the data stack, behind termination protection', () => {
  expect(synthesised.data.terminationProtection).toBe(true);
  expect(synthesised.api.terminationProtection).toBe(false);
  for (const type of ['AWS::DynamoDB::Table', 'AWS::SecretsManager::Secret']) {
    expect(resourcesOf(synthesised.apiTemplate, type)).toHaveLength(0);
  }
  for (const [, resource] of resourcesOf(synthesised.dataTemplate, 'AWS::DynamoDB::Table')) {
    expect(resource.DeletionPolicy).toBe('Retain');
  }
});
