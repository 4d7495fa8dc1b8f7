/**
 * The CDK app (cdk.json runs it with tsx): builds the widget into the cloud assembly folder, then
 * the stacks. Configuration comes from context: `npx cdk deploy -c allowedOrigins=… -c authorEmail=…`.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { ConfigError } from '../lib/config';
import { createLeserpost } from '../lib/leserpost';
import { buildWidget } from '../widget/build';

async function main(): Promise<void> {
  // cdk-nag runs on every synth. CDK's built-in CloudFormation template check would add some 30 s
  // (most of the synth); `npm test` runs it on every run (test/infra/nag.test.ts), so a CLI synth
  // skips it unless CDK_VALIDATION=true asks for it.
  const app = new App({ builtinCloudFormationValidation: process.env.CDK_VALIDATION === 'true' });
  const widgetDir = join(app.outdir, 'widget-build');
  rmSync(widgetDir, { recursive: true, force: true });
  await buildWidget(widgetDir);
  // Environment-agnostic stacks: the CLI deploys them to the profile's account and region.
  createLeserpost(app, { widgetDir });
  app.synth();
}

main().catch((error: Error) => {
  // A configuration mistake is the user's to fix: the message says what, no stack trace needed.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
