import type { AppProps } from 'aws-cdk-lib';

/**
 * The CDK app's options from the environment. cdk-nag runs on every synth; CDK's built-in
 * CloudFormation template check would add some 30 s (most of a synth) and `npm test` runs it anyway
 * (test/infra/nag.test.ts), so a CLI synth adds it only when CDK_VALIDATION=true asks for it.
 */
export function appProps(env: NodeJS.ProcessEnv): AppProps {
  return { builtinCloudFormationValidation: env.CDK_VALIDATION === 'true' };
}
