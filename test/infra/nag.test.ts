/**
 * cdk-nag (AwsSolutions) runs on every synth of the app: with no context at all (the offline demo)
 * and with a full configuration there is no unacknowledged finding, error or warning; every
 * acknowledgement says why and is actually needed; and a non-compliant resource does stop the synth.
 */
import { Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { createLeserpost } from '../../lib/leserpost';
import { FULL_CONTEXT, newApp, type Synthesised, synthLeserpost, widgetFixture } from './synth';

const nagReport = (synthesised: Synthesised) =>
  synthesised.report.pluginReports.find((report) => report.pluginName === 'AwsSolutions')!;

describe('cdk-nag AwsSolutions', () => {
  let demo: Synthesised;
  let printed: string;
  beforeAll(() => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      demo = synthLeserpost({}, { cloudFormationValidation: true });
      printed = error.mock.calls.flat().join('\n');
    } finally {
      error.mockRestore();
    }
  }, 120_000);

  it('finds nothing unacknowledged in the demo synth (no context, offline)', () => {
    const report = nagReport(demo);
    expect(report.violations).toEqual([]);
    expect(report.conclusion).toBe('success');
  });

  it('warns about the placeholder addresses of the demo configuration', () => {
    expect(printed).toContain('Placeholder configuration for allowedOrigins, authorEmail, senderEmail');
  });

  it('gives every acknowledgement a specific reason, and each one is needed', () => {
    const suppressed = nagReport(demo).suppressedViolations ?? [];
    expect(suppressed.length).toBeGreaterThan(0);
    for (const finding of suppressed) expect(finding.reason.length).toBeGreaterThanOrEqual(40);

    const declared = acknowledgements(demo.app).filter(({ id }) => id.startsWith('AwsSolutions::'));
    const used = new Set(suppressed.map((finding) => `${finding.acknowledgedAt} ${finding.acknowledgedId}`));
    const unused = declared.filter(({ path, id }) => !used.has(`${path} ${id}`));
    expect(unused).toEqual([]);
  });

  it('finds nothing at all, not even a warning, with a full configuration', () => {
    const full = synthLeserpost(FULL_CONTEXT, { cloudFormationValidation: true });
    for (const report of full.report.pluginReports) expect(report.violations).toEqual([]);
  }, 120_000);

  it('stops the synth when a resource breaks a rule', () => {
    const app = newApp(FULL_CONTEXT, { cloudFormationValidation: true });
    const { api } = createLeserpost(app, { widgetDir: widgetFixture() });
    new Queue(api, 'CarelessQueue', { encryption: QueueEncryption.UNENCRYPTED });
    const error = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(() => app.synth()).toThrow(/CarelessQueue[\s\S]*AwsSolutions-SQS4/);
    } finally {
      error.mockRestore();
    }
  }, 120_000);
});

/** Every acknowledgement recorded in the construct tree, with the path it was made at. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );
}
