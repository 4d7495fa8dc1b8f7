/**
 * Least privilege, checked against the code: each Lambda entry is bundled exactly as it is deployed
 * (lib/bundling.ts, with tree shaking), and the AWS calls left in its bundle (DynamoDB commands and
 * transaction parts, index names, the master secret, SES) must be exactly what its role is granted
 * in the synthesised template. A new call without a grant, or a grant nobody calls, fails here
 * with the group and the action, long before AWS would answer AccessDenied.
 */

import { join } from 'node:path';
import { build } from 'esbuild';
import { HANDLER_ENTRIES } from '../../functions/routes';
import { TABLE_DEFINITION } from '../../functions/store/table-definition';
import { LAMBDA_ESBUILD_OPTIONS } from '../../lib/bundling';
import { NOTIFIER_ENTRY } from '../../lib/constructs/notifications';
import {
  asArray,
  FULL_CONTEXT,
  resourceNamed,
  type Synthesised,
  statementsOfRole,
  synthLeserpost,
} from './synth';

const ROOT = join(__dirname, '..', '..');

/** Lambda entries and the logical-id prefix of their roles. */
const ENTRIES: Record<string, { entry: string; role: string }> = {
  comments: { entry: HANDLER_ENTRIES.comments, role: 'CommentsFunctionRole' },
  wishes: { entry: HANDLER_ENTRIES.wishes, role: 'WishesFunctionRole' },
  moderation: { entry: HANDLER_ENTRIES.moderation, role: 'ModerationFunctionRole' },
  readers: { entry: HANDLER_ENTRIES.readers, role: 'ReadersFunctionRole' },
  meta: { entry: HANDLER_ENTRIES.meta, role: 'MetaFunctionRole' },
  notifier: { entry: NOTIFIER_ENTRY, role: 'NotificationsNotifierRole' },
};

/** SDK command class → IAM action. Anything else in our code must be taught here first. */
const COMMAND_ACTIONS: Record<string, string[]> = {
  Get: ['dynamodb:GetItem'],
  BatchGet: ['dynamodb:BatchGetItem'],
  TransactGet: ['dynamodb:GetItem'],
  Query: ['dynamodb:Query'],
  Put: ['dynamodb:PutItem'],
  Update: ['dynamodb:UpdateItem'],
  Delete: ['dynamodb:DeleteItem'],
  TransactWrite: [], // authorised by its parts, see TRANSACTION_PARTS
  Scan: ['dynamodb:Scan'],
  BatchWrite: ['dynamodb:BatchWriteItem'],
  GetSecretValue: ['secretsmanager:GetSecretValue'],
  SendEmail: ['ses:SendEmail'],
};

const TRANSACTION_PARTS: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

interface Needs {
  actions: Set<string>;
  indexes: Set<string>;
}

/** What the bundle of one entry calls, from the modules of functions/ that survived tree shaking. */
async function needsOf(entry: string): Promise<Needs> {
  const result = await build({
    ...LAMBDA_ESBUILD_OPTIONS,
    mainFields: [...LAMBDA_ESBUILD_OPTIONS.mainFields],
    external: [...LAMBDA_ESBUILD_OPTIONS.external],
    alias: { ...LAMBDA_ESBUILD_OPTIONS.alias },
    // Readable output: esbuild marks each module with a `// path` comment.
    minify: false,
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, entry)],
    outfile: join(ROOT, 'unused.js'),
    write: false,
    logLevel: 'error',
  });
  const parts = result.outputFiles[0]!.text.split(/\n\/\/ (\S+)\n/);
  const needs: Needs = { actions: new Set(), indexes: new Set() };
  for (let i = 1; i < parts.length; i += 2) {
    if (!parts[i]!.startsWith('functions/')) continue;
    const code = parts[i + 1]!;
    for (const [, command] of code.matchAll(/new (?:[\w$]+\.)?(\w+?)Command\d*\(/g)) {
      const actions = COMMAND_ACTIONS[command!];
      if (!actions) throw new Error(`${parts[i]} sends ${command}Command: add its IAM action to this test.`);
      for (const action of actions) needs.actions.add(action);
      if (command === 'TransactWrite') {
        for (const [, part] of code.matchAll(/\b(Put|Update|Delete|ConditionCheck):\s/g)) {
          needs.actions.add(TRANSACTION_PARTS[part!]!);
        }
      }
    }
    for (const [, expression] of code.matchAll(/IndexName:\s*([^,\n}]+)/g)) {
      const literal = /^"(\w+)"$/.exec(expression!.trim());
      if (literal) needs.indexes.add(literal[1]!);
      // An index chosen at run time (e.g. by sort order): every index name in that module counts.
      else
        for (const name of Object.keys(TABLE_DEFINITION.indexes))
          if (code.includes(`"${name}"`)) needs.indexes.add(name);
    }
    // Public reads name their index in the query they hand to store/public-query.ts.
    for (const [, expression] of code.matchAll(/\bindex:\s*([^,\n}]+)/g)) {
      for (const name of Object.keys(TABLE_DEFINITION.indexes))
        if (expression!.includes(`"${name}"`)) needs.indexes.add(name);
    }
  }
  return needs;
}

let synthesised: Synthesised;
const needs: Record<string, Needs> = {};
beforeAll(async () => {
  synthesised = synthLeserpost(FULL_CONTEXT);
  for (const [name, { entry }] of Object.entries(ENTRIES)) needs[name] = await needsOf(entry);
}, 180_000);

/** What the role of an entry is granted: service actions, and the indexes it may query. */
function granted(name: string) {
  const [roleId] = resourceNamed(synthesised.apiTemplate, 'AWS::IAM::Role', ENTRIES[name]!.role);
  const statements = statementsOfRole(synthesised.apiTemplate, roleId);
  const actions = new Set<string>();
  const indexes = new Set<string>();
  for (const statement of statements) {
    const resources = JSON.stringify(statement.Resource);
    const onStream = resources.includes('StreamArn');
    for (const action of asArray(statement.Action as string | string[])) {
      // The stream read of the event source and the log group are not calls of our code.
      if (
        onStream ||
        action === 'dynamodb:ListStreams' ||
        action.startsWith('logs:') ||
        action.startsWith('sqs:')
      ) {
        continue;
      }
      if (
        action.startsWith('dynamodb:') ||
        action.startsWith('secretsmanager:') ||
        action.startsWith('ses:')
      ) {
        actions.add(action);
      }
    }
    for (const [, index] of resources.matchAll(/\/index\/(\w+)/g)) indexes.add(index!);
  }
  // SendRawEmail is granted beside SendEmail: SES v2 may authorise a raw send by either.
  actions.delete('ses:SendRawEmail');
  return { actions, indexes };
}

const sorted = (set: Set<string>) => [...set].sort();

describe.each(Object.keys(ENTRIES))('the %s Lambda', (name) => {
  it('is granted exactly the DynamoDB, Secrets Manager and SES actions its code calls', () => {
    expect(sorted(granted(name).actions)).toEqual(sorted(needs[name]!.actions));
  });

  it('may query exactly the indexes its code names, and never a private one from reader code', () => {
    expect(sorted(granted(name).indexes)).toEqual(sorted(needs[name]!.indexes));
    if (name === 'comments' || name === 'wishes') {
      for (const index of needs[name]!.indexes) {
        expect(TABLE_DEFINITION.indexes[index as keyof typeof TABLE_DEFINITION.indexes].public).toBe(true);
      }
    }
  });
});

it('finds the calls it looks for (the analysis itself works)', () => {
  expect(needs.comments!.actions).toContain('dynamodb:Query');
  expect(needs.comments!.indexes).toContain('public');
  expect(needs.wishes!.indexes).toContain('ranked');
  expect(needs.notifier!.actions).toContain('ses:SendEmail');
  expect(needs.meta!.actions.size).toBe(0);
});
