import type { RunningDynamo } from '../../dev/dynamo-local';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __leserpostDynamo?: RunningDynamo }).__leserpostDynamo?.stop();
}
