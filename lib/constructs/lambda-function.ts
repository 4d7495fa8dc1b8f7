/**
 * One Leserpost Lambda: a bundled TypeScript handler (local esbuild, no Docker), arm64 on Node 24,
 * with its own log group (retention, JSON format) and its own role that may write only to that log
 * group. Whatever else the function may do is granted explicitly by the stack that uses it.
 */
import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { nodejsFunctionBundling } from '../bundling';

/** The repository root: entries in functions/routes.ts are relative to it. */
export const REPO_ROOT = join(__dirname, '..', '..');

export const LOG_RETENTION = RetentionDays.ONE_MONTH;

export interface LeserpostFunctionProps {
  /** Handler file relative to the repository root (HANDLER_ENTRIES, or the notifier). */
  entry: string;
  description: string;
  environment: Record<string, string>;
  memorySize?: number;
  timeout?: Duration;
}

export class LeserpostFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: LeserpostFunctionProps) {
    super(scope, id);
    const bundling = nodejsFunctionBundling();
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Leserpost ${id}: its own log group plus the grants of its stack`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, props.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: {
        ...props.environment,
        LOG_LEVEL: 'INFO',
      },
      bundling: {
        // The same options `npm run bench` measures (lib/bundling.ts): minified, ES module builds of the
        // SDK first (they tree-shake), the SDK bundled, CommonJS output, no source maps.
        ...bundling,
        format: bundling.format === 'cjs' ? OutputFormat.CJS : OutputFormat.ESM,
        sourceMap: false,
        forceDockerBundling: false,
      },
    });
  }
}
