/**
 * Least-privilege grants on the data stack's resources, as explicit statements: item-level actions
 * only (no Scan, no BatchWriteItem, no table management), Query only on the named indexes, KMS
 * actions spelled out (no wildcards), the master secret readable but nothing else in Secrets Manager.
 */

import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { type IndexName, TABLE_DEFINITION } from '../../functions/store/table-definition';

export interface DataResources {
  table: ITable;
  dataKey: IKey;
  masterSecret: ISecret;
}

export const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;

/** Single-item writes; TransactWriteItems is authorised by exactly these per-item actions. */
export const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
] as const;

/** DynamoDB decrypts the table key with the caller's permission; writers may also need a data key. */
const KMS_READ = ['kms:Decrypt', 'kms:DescribeKey'];
const KMS_WRITE = ['kms:Encrypt', 'kms:GenerateDataKey'];

export const PUBLIC_INDEXES = (Object.keys(TABLE_DEFINITION.indexes) as IndexName[]).filter(
  (name) => TABLE_DEFINITION.indexes[name].public,
);
export const ALL_INDEXES = Object.keys(TABLE_DEFINITION.indexes) as IndexName[];

export interface TableAccess {
  /** Indexes the function may Query; the private ones only for the author's side. */
  indexes: readonly IndexName[];
  write: boolean;
}

export function grantTableAccess(grantee: IGrantable, data: DataResources, access: TableAccess): void {
  const principal = grantee.grantPrincipal;
  principal.addToPrincipalPolicy(
    new PolicyStatement({
      sid: access.write ? 'TableReadWrite' : 'TableRead',
      actions: [...READ_ACTIONS, ...(access.write ? WRITE_ACTIONS : [])],
      resources: [data.table.tableArn],
    }),
  );
  if (access.indexes.length > 0) {
    principal.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'IndexQuery',
        actions: ['dynamodb:Query'],
        resources: access.indexes.map((name) => `${data.table.tableArn}/index/${name}`),
      }),
    );
  }
  principal.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'TableKey',
      actions: [...KMS_READ, ...(access.write ? KMS_WRITE : [])],
      resources: [data.dataKey.keyArn],
    }),
  );
}

/** The master secret, for secretKeys() in functions/runtime/secrets.ts (it is encrypted with the data key). */
export function grantSecretRead(grantee: IGrantable, data: DataResources): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'MasterSecret',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [data.masterSecret.secretArn],
    }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'MasterSecretKey',
      actions: ['kms:Decrypt'],
      resources: [data.dataKey.keyArn],
    }),
  );
}
