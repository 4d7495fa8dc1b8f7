/** One DynamoDB Local for the whole test run; each test file makes its own table in it. */
import { startDynamoLocal } from '../../dev/dynamo-local';

export default async function globalSetup(): Promise<void> {
  // Node 20 is supported here; the SDK's notice about future releases only clutters test output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.NODE_ENV = 'test';
  // A shared, busy machine can take minutes to start the JVM: wait rather than fail the run.
  const dynamo = await startDynamoLocal({ readyWithinMs: 300_000 });
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  // The suite's bursts of concurrent transactions on a busy two-core machine outlast the shipped
  // request timeout (functions/runtime/dynamo.ts); test/integration/faults.test.ts tests that one.
  process.env.DYNAMODB_REQUEST_TIMEOUT_MS = '30000';
  (globalThis as { __leserpostDynamo?: typeof dynamo }).__leserpostDynamo = dynamo;
}
