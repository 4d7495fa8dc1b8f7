/**
 * README: "`CDK_VALIDATION=true npx cdk synth` adds CDK's CloudFormation template check". With the
 * variable a template mistake is reported at synth; without it the synth stays quiet and quick.
 */
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { appProps } from '../../lib/app-props';

function synthBrokenQueue(env: NodeJS.ProcessEnv): string {
  const app = new App(appProps(env));
  const stack = new Stack(app, 'Checked');
  new CfnResource(stack, 'Queue', { type: 'AWS::SQS::Queue', properties: { VisibilityTimeout: 'bald' } });
  const printed: string[] = [];
  const capture = (...args: unknown[]) => {
    printed.push(args.join(' '));
  };
  const spies = [
    jest.spyOn(console, 'error').mockImplementation(capture),
    jest.spyOn(console, 'warn').mockImplementation(capture),
    jest.spyOn(console, 'log').mockImplementation(capture),
  ];
  try {
    app.synth();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return printed.join('\n');
}

it('CDK_VALIDATION=true reports a template mistake at synth', () => {
  expect(synthBrokenQueue({ CDK_VALIDATION: 'true' })).toMatch(
    /VisibilityTimeout[\s\S]*CloudFormation Validate/,
  );
}, 120_000);

it('without CDK_VALIDATION the synth does not run the template check', () => {
  expect(synthBrokenQueue({})).not.toMatch(/CloudFormation Validate/);
  expect(synthBrokenQueue({ CDK_VALIDATION: 'false' })).not.toMatch(/CloudFormation Validate/);
}, 120_000);
