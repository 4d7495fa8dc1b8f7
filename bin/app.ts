/**
 * The CDK app (cdk.json runs it with tsx): builds the widget into the cloud assembly folder, then
 * the stacks. Configuration comes from context: `npx cdk deploy -c allowedOrigins=… -c authorEmail=…`.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { appProps } from '../lib/app-props';
import { ConfigError } from '../lib/config';
import { createLeserpost } from '../lib/leserpost';
import { buildWidget } from '../widget/build';

async function main(): Promise<void> {
  const app = new App(appProps(process.env));
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
