/**
 * Stands in for `@smithy/core/checksum` in the Lambda bundles only (esbuild alias in
 * lib/bundling.ts). The DynamoDB client imports just `Sha256` from it (request signing); the
 * SDK's class picks node's crypto, but keeps a pure-JavaScript SHA-256 (about 3 KB) in the bundle
 * for runtimes without one. Lambda's node always has it, so this is the SDK's node class alone:
 * same behaviour (hash, or HMAC when given a secret; digest without finishing a plain hash).
 * Any other import of that module fails the build, not a request.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

type Data = string | ArrayBuffer | ArrayBufferView;

function toBuffer(data: Data): string | Buffer {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

export class Sha256 {
  readonly digestLength = 32;
  private hash: Hash | Hmac;
  private finished = false;

  constructor(private readonly secret?: Data) {
    this.hash = this.create();
  }

  update(data: Data): void {
    if (this.finished) throw new Error('Attempted to update an already finished hash.');
    this.hash.update(toBuffer(data));
  }

  async digest(): Promise<Uint8Array> {
    let buffer: Buffer;
    if (this.secret) {
      this.finished = true;
      buffer = this.hash.digest();
    } else buffer = (this.hash as Hash).copy().digest();
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  reset(): void {
    this.hash = this.create();
    this.finished = false;
  }

  private create(): Hash | Hmac {
    return this.secret ? createHmac('sha256', toBuffer(this.secret)) : createHash('sha256');
  }
}
