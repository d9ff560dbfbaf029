import type { IncomingMessage } from 'node:http';

/** What reading a request body gave. */
export type BodyReading =
  | { kind: 'bytes'; bytes: Buffer }
  /** Something before us (e.g. `express.json()`) already read and parsed the body. */
  | { kind: 'parsed'; value: unknown }
  | { kind: 'tooLarge' }
  | { kind: 'aborted' };

/**
 * Read the body up to `limit` bytes. A declared or actual size over the limit stops reading at
 * once (the rest is never buffered). Never rejects.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<BodyReading> {
  if (request.readableEnded) {
    const body = (request as { body?: unknown }).body;
    if (typeof body === 'string' || Buffer.isBuffer(body)) {
      return Promise.resolve({ kind: 'bytes', bytes: Buffer.from(body) });
    }
    return Promise.resolve({ kind: 'parsed', value: body });
  }
  if (Number(request.headers['content-length']) > limit) {
    return Promise.resolve({ kind: 'tooLarge' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (reading: BodyReading) => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('close', onClose);
      if (reading.kind === 'tooLarge') request.pause();
      resolve(reading);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish({ kind: 'tooLarge' });
      else chunks.push(chunk);
    };
    const onEnd = () => finish({ kind: 'bytes', bytes: Buffer.concat(chunks, size) });
    const onClose = () => finish({ kind: 'aborted' });
    // A client that goes away mid-body emits 'error' (ECONNRESET); 'close' settles the promise.
    request.on('error', () => {});
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('close', onClose);
  });
}
