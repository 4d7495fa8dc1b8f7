/**
 * `cdk synth` with no context works offline on placeholder (.example) values; a deploy with them
 * would create an SES identity nobody can verify and a widget no blog may call. The CDK CLI tells the
 * app nothing about which command runs, so the template itself refuses: a CloudFormation rule fails
 * the change set, before any resource is created, with a message that names the keys to set.
 */
import { CfnParameter, CfnRule, Fn, type Stack } from 'aws-cdk-lib';
import type { ConfigKey } from './config';

export const PLACEHOLDER_PARAMETER = 'LeserpostPlaceholderKeys';
export const PLACEHOLDER_RULE = 'LeserpostRefusesPlaceholders';

export function refusePlaceholderDeploy(stack: Stack, placeholders: readonly ConfigKey[]): void {
  if (placeholders.length === 0) return;
  const keys = placeholders.join(',');
  // Rules assert on parameters: the parameter carries the keys, and its default fails the rule.
  const parameter = new CfnParameter(stack, PLACEHOLDER_PARAMETER, {
    type: 'String',
    default: keys,
    description: 'Configuration keys still at a placeholder value; a deploy needs them set.',
  });
  new CfnRule(stack, PLACEHOLDER_RULE, {
    assertions: [
      {
        assert: Fn.conditionEquals(parameter.valueAsString, ''),
        assertDescription: placeholderMessage(placeholders),
      },
    ],
  });
}

export function placeholderMessage(placeholders: readonly ConfigKey[]): string {
  return (
    `Leserpost: ${placeholders.join(', ')} still at a placeholder (.example) value. Set ` +
    `${placeholders.map((key) => `-c ${key}=…`).join(' ')} (or in cdk.json → context) and deploy again.`
  );
}
