/**
 * Least-privilege grants on the data stack's resources, as explicit statements: the item-level
 * DynamoDB actions a function's code actually calls (test/infra/permissions.test.ts derives them
 * from each Lambda's bundle and compares), Query only on the indexes it names, KMS actions spelled
 * out (no wildcards), and in Secrets Manager exactly the key secrets a function's group lists
 * (lib/key-grants.ts), each by its own ARN.
 */
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { SecretPurpose } from '../../functions/runtime/secret-names';
import type { IndexName } from '../../functions/store/table-definition';

export interface DataResources {
  table: ITable;
  dataKey: IKey;
  /** One secret per key purpose (functions/runtime/secret-names.ts); legacyMaster until the reseal ran. */
  secrets: Record<SecretPurpose, ISecret>;
}

/**
 * Item-level actions only: no Scan, no BatchWriteItem, no table management. A TransactWriteItems
 * call is authorised by the per-item actions of its parts (Put, Update, Delete, ConditionCheck).
 */
export type ItemAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'ConditionCheckItem';

const WRITES: readonly ItemAction[] = ['PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'];

export interface TableAccess {
  actions: readonly ItemAction[];
  /** Indexes the function may Query (the public ones for reader-facing code). */
  indexes: readonly IndexName[];
}

/** DynamoDB uses the table's key with the caller's permission: decrypt to read, a data key to write. */
const KMS_READ = ['kms:Decrypt', 'kms:DescribeKey'];
const KMS_WRITE = ['kms:Encrypt', 'kms:GenerateDataKey'];

export function grantTableAccess(grantee: IGrantable, data: DataResources, access: TableAccess): void {
  const principal = grantee.grantPrincipal;
  principal.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'TableItems',
      actions: [...new Set(access.actions)].map((action) => `dynamodb:${action}`),
      resources: [data.table.tableArn],
    }),
  );
  if (access.indexes.length > 0) {
    if (!access.actions.includes('Query')) throw new Error('Index access needs the Query action.');
    principal.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'IndexQuery',
        actions: ['dynamodb:Query'],
        resources: access.indexes.map((name) => `${data.table.tableArn}/index/${name}`),
      }),
    );
  }
  const writes = access.actions.some((action) => WRITES.includes(action));
  principal.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'TableKey',
      actions: [...KMS_READ, ...(writes ? KMS_WRITE : [])],
      resources: [data.dataKey.keyArn],
    }),
  );
}

/** Key secrets, each by its own ARN, for runtime/secrets.ts (they are encrypted with the data key). */
export function grantSecretRead(
  grantee: IGrantable,
  data: DataResources,
  purposes: readonly SecretPurpose[],
): void {
  if (purposes.length === 0) return;
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'KeySecrets',
      actions: ['secretsmanager:GetSecretValue'],
      resources: purposes.map((purpose) => data.secrets[purpose].secretArn),
    }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'KeySecretsKey',
      actions: ['kms:Decrypt'],
      resources: [data.dataKey.keyArn],
    }),
  );
}
