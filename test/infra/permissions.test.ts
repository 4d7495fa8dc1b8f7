/**
 * Least privilege, checked against the code: each Lambda entry is bundled exactly as it is deployed
 * (lib/bundling.ts, with tree shaking), and the AWS calls left in its bundle (DynamoDB commands and
 * transaction parts, index names, the key secrets it asks runtime/keys.ts for, SES) must be exactly
 * what its role is granted in the synthesised template, and its environment names exactly those
 * secrets. A new call without a grant, or a grant nobody calls, fails here
 * with the group and the action, long before AWS would answer AccessDenied.
 */

import { join } from 'node:path';
import { build } from 'esbuild';
import { HANDLER_ENTRIES } from '../../functions/routes';
import { SECRET_PURPOSES, type SecretPurpose, secretArnEnv } from '../../functions/runtime/secret-names';
import { TABLE_DEFINITION } from '../../functions/store/table-definition';
import { LAMBDA_ESBUILD_OPTIONS } from '../../lib/bundling';
import { EMAIL_SEAL_KEY_ENTRY } from '../../lib/constructs/email-seal-key';
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
  desk: { entry: HANDLER_ENTRIES.desk, role: 'DeskFunctionRole' },
  notifier: { entry: NOTIFIER_ENTRY, role: 'NotificationsNotifierRole' },
  emailSealPublicKey: { entry: EMAIL_SEAL_KEY_ENTRY, role: 'EmailSealKeyDeriveRole' },
};

/**
 * What a call into runtime/keys.ts, runtime/email-keys.ts (or runtime/secrets.ts) needs. Opening an address needs the
 * legacy master secret too while it is kept (v1 addresses; cdk.json does not retire it).
 */
const KEY_CALLS: [RegExp, (SecretPurpose | 'sealPublicKey')[]][] = [
  [/\b(?:hashKeys|lookupHashOf)\d*\(/, ['hashKeys']],
  [/\blinkKey\d*\(\s*"author"/, ['authorLink']],
  [/\blinkKey\d*\(\s*"reader"/, ['readerLink']],
  [/\bsealEmail\d*\(/, ['sealPublicKey']],
  [/\bopenEmail\d*\(/, ['sealPrivateKey', 'legacyMaster']],
  [/\bsecretOf\d*\(\s*"sealPrivateKey"/, ['sealPrivateKey']],
];

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
  /** Key secrets, and `sealPublicKey` where the code seals. */
  keys: Set<string>;
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
  const needs: Needs = { actions: new Set(), indexes: new Set(), keys: new Set() };
  for (let i = 1; i < parts.length; i += 2) {
    if (!parts[i]!.startsWith('functions/')) continue;
    const code = parts[i + 1]!;
    // Calls into the key modules, made anywhere but inside them (their own definitions).
    if (!/^functions\/runtime\/(keys|email-keys|secrets)\.ts$/.test(parts[i]!)) {
      for (const [call, keys] of KEY_CALLS) if (call.test(code)) for (const key of keys) needs.keys.add(key);
    }
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
  return { actions, indexes, keys: grantedKeys(name, statements) };
}

/** The data stack's secret behind each purpose, by the logical id of its output. */
const SECRET_IDS: Record<SecretPurpose, string> = {
  sealPrivateKey: 'EmailSealKey',
  authorLink: 'AuthorLinkKey',
  readerLink: 'ReaderLinkKey',
  hashKeys: 'HashKeys',
  legacyMaster: 'MasterSecret',
};

/**
 * The secrets a role may read (by the resources of its GetSecretValue statements), each also named
 * in the function's environment, and `sealPublicKey` if the environment holds the public key.
 */
function grantedKeys(name: string, statements: Record<string, any>[]): Set<string> {
  const keys = new Set<string>();
  const readable = statements
    .filter((s) => asArray(s.Action as string | string[]).includes('secretsmanager:GetSecretValue'))
    .flatMap((s) => asArray(s.Resource as unknown))
    .map((resource) => JSON.stringify(resource));
  const variables = functionOf(name).Properties.Environment.Variables as Record<string, unknown>;
  for (const [purpose, id] of Object.entries(SECRET_IDS) as [SecretPurpose, string][]) {
    // The data stack's secret by its logical id, however the reference crosses the stacks.
    const import_ = new RegExp(`${id}[0-9A-F]{8}`);
    const inPolicy = readable.some((resource) => import_.test(resource));
    const inEnvironment = import_.test(JSON.stringify(variables[secretArnEnv(purpose)] ?? ''));
    expect({ name, purpose, inEnvironment }).toEqual({ name, purpose, inEnvironment: inPolicy });
    if (inPolicy) keys.add(purpose);
  }
  // Every secret variable in the environment is one of the above (no other secret named).
  for (const variable of Object.keys(variables).filter((v) => v.endsWith('_SECRET_ARN'))) {
    expect(Object.values(SECRET_PURPOSES).map((base) => `${base}_SECRET_ARN`)).toContain(variable);
  }
  if (variables.EMAIL_SEAL_PUBLIC_KEY) keys.add('sealPublicKey');
  return keys;
}

/** The Lambda function whose role is this entry's role. */
function functionOf(name: string) {
  const [roleId] = resourceNamed(synthesised.apiTemplate, 'AWS::IAM::Role', ENTRIES[name]!.role);
  const functions = Object.values(synthesised.apiTemplate.findResources('AWS::Lambda::Function')) as {
    Properties: { Role: unknown; Environment: { Variables: Record<string, unknown> } };
  }[];
  const fn = functions.find((f) => JSON.stringify(f.Properties.Role).includes(`"${roleId}"`));
  if (!fn) throw new Error(`No function with the role ${roleId}.`);
  return fn;
}

const sorted = (set: Set<string>) => [...set].sort();

describe.each(Object.keys(ENTRIES))('the %s Lambda', (name) => {
  it('is granted exactly the DynamoDB, Secrets Manager and SES actions its code calls', () => {
    expect(sorted(granted(name).actions)).toEqual(sorted(needs[name]!.actions));
  });

  it('may read exactly the key secrets its code asks for, named in its environment, nothing else', () => {
    expect(sorted(granted(name).keys)).toEqual(sorted(needs[name]!.keys));
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
  expect(sorted(needs.comments!.keys)).toEqual(['hashKeys', 'sealPublicKey']);
  expect(needs.notifier!.keys).toContain('sealPrivateKey');
  expect(needs.moderation!.keys).toContain('authorLink');
  expect(needs.meta!.keys.size).toBe(0);
  expect(needs.desk!.indexes).toContain('moderation');
  expect(needs.desk!.indexes).toContain('reader');
  expect(needs.desk!.actions).toContain('ses:SendEmail');
  // The backup with addresses opens them: the desk holds the private sealing key (lib/key-grants.ts).
  expect(needs.desk!.keys).toContain('sealPrivateKey');
});

it('keeps the reader-facing Lambdas away from the key that opens addresses', () => {
  // "Meine Daten" finds her data by the lookup hash and seals the typed address for the notifier.
  expect(sorted(needs.readers!.keys)).toEqual(['hashKeys', 'readerLink', 'sealPublicKey']);
  expect(needs.readers!.indexes).toContain('reader');
  for (const name of ['comments', 'wishes', 'readers'])
    expect(
      [...needs[name]!.keys].filter((key) => key === 'sealPrivateKey' || key === 'legacyMaster'),
    ).toEqual([]);
});
