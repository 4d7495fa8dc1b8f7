/**
 * Watches every DynamoDB call the product makes, without touching product code: a middleware on
 * the shared document client asks DynamoDB for ReturnConsumedCapacity TOTAL and records the
 * operation, the index it used and the capacity it consumed. The bench and
 * test/integration/capacity.test.ts both use it.
 */
import { documentClient } from '../functions/runtime/dynamo';

export interface RecordedCall {
  /** API operation, e.g. Query, BatchGetItem, TransactWriteItems. */
  operation: string;
  indexName?: string;
  readUnits: number;
  writeUnits: number;
}

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

const READ_OPERATIONS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

export interface CapacityRecorder {
  calls: RecordedCall[];
  /** Installs the middleware on the current document client (again after resetDocumentClient()). */
  attach: () => void;
  clear: () => void;
  /** Runs `work` and returns the calls it made. */
  during: <T>(work: () => Promise<T>) => Promise<{ result: T; calls: RecordedCall[] }>;
}

export function createCapacityRecorder(): CapacityRecorder {
  const calls: RecordedCall[] = [];
  const attached = new WeakSet<object>();
  const recorder: CapacityRecorder = {
    calls,
    attach() {
      const client = documentClient();
      if (attached.has(client.middlewareStack)) return;
      attached.add(client.middlewareStack);
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const input = args.input as Record<string, unknown>;
          input.ReturnConsumedCapacity = 'TOTAL';
          const result = await next(args);
          const operation = String(context.commandName ?? 'Unknown').replace(/Command$/, '');
          const consumed = (result.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity;
          const parts = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
          let readUnits = 0;
          let writeUnits = 0;
          for (const part of parts) {
            // DynamoDB splits TOTAL into read and write units where it can; otherwise the operation tells.
            if (part.ReadCapacityUnits !== undefined || part.WriteCapacityUnits !== undefined) {
              readUnits += part.ReadCapacityUnits ?? 0;
              writeUnits += part.WriteCapacityUnits ?? 0;
            } else if (READ_OPERATIONS.has(operation)) {
              readUnits += part.CapacityUnits ?? 0;
            } else {
              writeUnits += part.CapacityUnits ?? 0;
            }
          }
          calls.push({
            operation,
            ...(typeof input.IndexName === 'string' ? { indexName: input.IndexName } : {}),
            readUnits,
            writeUnits,
          });
          return result;
        },
        { step: 'initialize', name: 'benchCapacityRecorder' },
      );
    },
    clear() {
      calls.length = 0;
    },
    async during(work) {
      recorder.attach();
      const start = calls.length;
      const result = await work();
      return { result, calls: calls.slice(start) };
    },
  };
  return recorder;
}

/** Calls grouped by operation (and index): how many, and the capacity units they consumed. */
export function summariseCalls(
  calls: readonly RecordedCall[],
): { operation: string; calls: number; readUnits: number; writeUnits: number }[] {
  const groups = new Map<
    string,
    { operation: string; calls: number; readUnits: number; writeUnits: number }
  >();
  for (const call of calls) {
    const name = call.indexName ? `${call.operation} (${call.indexName})` : call.operation;
    const group = groups.get(name) ?? { operation: name, calls: 0, readUnits: 0, writeUnits: 0 };
    group.calls += 1;
    group.readUnits += call.readUnits;
    group.writeUnits += call.writeUnits;
    groups.set(name, group);
  }
  return [...groups.values()];
}
