/**
 * The whole deployment: the retained data stack and the replaceable API stack, configured from
 * CDK context and checked by cdk-nag (AwsSolutions) on every synth. bin/app.ts and the infra tests
 * both build the app through this one function.
 */
import { Annotations, type App, CrossStackReferences, ReferenceStrength } from 'aws-cdk-lib';
import { ApiStack } from './api-stack';
import { type LeserpostConfig, namePrefix, readConfig } from './config';
import { DataStack } from './data-stack';
import { addNagChecks } from './nag';
import { refusePlaceholderDeploy } from './placeholder-guard';

/** Stack ids of the default instance; `-c instance=Name` makes them LeserpostNameData/Api. */
export const DATA_STACK_ID = 'LeserpostData';
export const API_STACK_ID = 'LeserpostApi';

export interface LeserpostOptions {
  /** Folder with the built widget (bin/app.ts builds it; tests pass a small fixture). */
  widgetDir: string;
}

export interface Leserpost {
  config: LeserpostConfig;
  data: DataStack;
  api: ApiStack;
}

export function createLeserpost(app: App, options: LeserpostOptions): Leserpost {
  const config = readConfig(app.node);
  // Weak references (Fn::GetStackOutput, no exports): a change to what the API stack reads from the
  // data stack never deadlocks on "export in use". cdk.json says the same; this holds without it.
  CrossStackReferences.of(app).consume(ReferenceStrength.WEAK);
  addNagChecks(app);
  const prefix = namePrefix(config);
  const data = new DataStack(app, `${prefix}Data`, {
    description: 'Leserpost data: comments table, encryption key, master secret (retained)',
    // Deleting this stack would orphan the data anyway (everything is retained); make it deliberate.
    terminationProtection: true,
  });
  const api = new ApiStack(app, `${prefix}Api`, {
    description: 'Leserpost API, notifications and widget hosting (stateless, replaceable)',
    config,
    data: { table: data.table, dataKey: data.dataKey, secrets: data.secrets },
    widgetDir: options.widgetDir,
  });
  refusePlaceholderDeploy(data, config.placeholders);
  refusePlaceholderDeploy(api, config.placeholders);
  if (config.placeholders.length > 0) {
    Annotations.of(api).addWarningV2(
      'leserpost:placeholder-config',
      `Placeholder configuration for ${config.placeholders.join(', ')} (.example addresses): fine for ` +
        'a synth, useless for a deploy. Set them, e.g. -c allowedOrigins=https://your.blog ' +
        '-c authorEmail=you@your.blog -c senderEmail=leserpost@your.blog',
    );
  }
  return { config, data, api };
}
