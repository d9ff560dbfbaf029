import { MAX_MESSAGE_BYTES, utf8Length } from '../message/sizeBudget';
import type { SafeStorage } from '../util/safeStorage';

/**
 * A batch of serialized messages of one agent session: the unit that is sent (one request) and
 * removed. A chunk's number is the time its first message was queued, kept increasing per owner,
 * so sending each owner's chunks by number keeps its order. Storage holds a chunk in parts: each
 * persist writes only the messages that came since the last one, under `partKey(chunk, 0)` for
 * the first part and `partKey(chunk, 1)`, `partKey(chunk, 2)`… for the next, so persisting costs
 * what was logged, not the whole chunk again. Stored messages are separated by `,\n`, a newline
 * as well as the comma, so a chunk read back splits without parsing: JSON text never holds a raw
 * newline.
 */
export interface Chunk {
  // The drop-in build shortens these property names (rollup.config.mjs): keep them to chunks.
  /** The agent session id that wrote the messages. */
  owner: string;
  /** The time its first message was queued, increasing per owner. */
  number: number;
  /** The messages' JSON texts; undefined while only storage holds them (read before sending). */
  items?: string[] | undefined;
  /** UTF-8 bytes of the messages, one comma each included; unread, the most a chunk holds. */
  bytes: number;
  /** How many of the messages (the first ones) storage holds. */
  saved: number;
  /** How many parts storage holds. */
  parts: number;
}

/** A new empty chunk of `owner`, or (without items) one standing for what storage holds. */
export const createChunk = (owner: string, number: number, items?: string[]): Chunk => ({
  owner,
  number,
  items,
  saved: 0,
  parts: 0,
  bytes: items ? 0 : MAX_MESSAGE_BYTES,
});

/** Storage key of a chunk's part: `LoupeQueue:<owner>:<number>`, then `…:1`, `…:2`… */
export const partKey = (chunk: Chunk, part?: number) =>
  'LoupeQueue:' + chunk.owner + ':' + chunk.number + (part ? ':' + part : '');

/** The chunks that storage `keys` hold, their messages not read yet; other keys are ignored. */
export const storedChunks = (keys: Array<string | null>): Chunk[] => {
  const found: Record<string, Chunk> = {};
  for (const key of keys) {
    const [, first, owner, number, part = 0] =
      /^(LoupeQueue:([^:]+):([1-9]\d*))(?::(\d+))?$/.exec(key as string) || [];
    if (first) {
      const chunk = (found[first] ||= createChunk(owner as string, +(number as string)));
      chunk.parts = Math.max(chunk.parts, +part + 1);
    }
  }
  return Object.values(found);
};

/**
 * Drop the oldest messages, whatever session wrote them, until the queue holds at most `maxCount`
 * messages and `maxBytes` bytes. A chunk not read yet counts as a full batch: while that estimate
 * is over, the oldest such chunks are read (`read`) and counted as they are, so storage stays
 * bounded without reading back every stored message. `busy` (the chunk being sent) is left
 * alone. A chunk that lost messages counts as not saved: storage must be written again. Returns
 * how many were dropped.
 */
export const trimQueue = (
  chunks: Chunk[],
  maxCount: number,
  maxBytes: number,
  read: (chunk: Chunk) => unknown,
  busy?: Chunk,
): number => {
  let count = 0;
  let bytes = 0;
  let dropped = 0;
  for (const chunk of chunks) bytes += chunk.bytes;
  for (const chunk of chunks) {
    if (!chunk.items && bytes > maxBytes) {
      bytes -= chunk.bytes;
      if (read(chunk)) bytes += chunk.bytes;
    }
    count += chunk.items?.length || 0;
  }
  for (const chunk of chunks) {
    while (
      chunk != busy &&
      chunk.items?.length &&
      (bytes > maxBytes || count > maxCount + dropped)
    ) {
      const size = utf8Length(chunk.items.shift() as string) + 1;
      bytes -= size;
      chunk.bytes -= size;
      chunk.saved = 0;
      dropped++;
    }
  }
  return dropped;
};

/**
 * The body of a chunk's request, `envelope` (the body up to the messages) first, and its UTF-8
 * bytes; the messages are read from `storage` when only it holds them (such a chunk is queued only
 * while there is storage: giving its lock back takes it out). Undefined when storage no longer has
 * them (another tab sent them). The chunk already counts its messages' bytes with a
 * comma each: the body adds the envelope and `]}` and has one comma fewer, so a body of up to
 * 64 KiB is not scanned again.
 */
export const chunkBody = (chunk: Chunk, envelope: string, storage?: SafeStorage) => {
  if (!chunk.items) {
    const text = Array.from({ length: chunk.parts }, (_, part) =>
      storage!.get(partKey(chunk, part)),
    )
      .filter(Boolean)
      .join(',\n');
    if (!text) return;
    chunk.items = text.split(',\n');
    chunk.bytes = utf8Length(text) + 2 - (chunk.saved = chunk.items.length);
  }
  return [envelope + chunk.items.join(',') + ']}', utf8Length(envelope) + chunk.bytes + 1] as const;
};

/** Remove every part of a chunk from `storage`: nothing of it is saved any more. */
export const removeChunk = (chunk: Chunk, storage?: SafeStorage) => {
  while (chunk.parts) storage?.remove(partKey(chunk, --chunk.parts));
  chunk.saved = 0;
};

/**
 * Write to `storage` what a chunk got since it was last saved, as a new part; all of it again,
 * in place of what storage holds, when it was trimmed (nothing of it counts as saved).
 */
export const saveChunk = (chunk: Chunk, storage?: SafeStorage) => {
  if (!chunk.saved) removeChunk(chunk, storage);
  if (storage?.set(partKey(chunk, chunk.parts), chunk.items!.slice(chunk.saved).join(',\n'))) {
    chunk.saved = chunk.items!.length;
    chunk.parts++;
  }
};
