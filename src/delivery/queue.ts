import { utf8Length } from '../message/sizeBudget';

/**
 * A batch of serialized messages of one agent session: the unit that is persisted (one storage
 * key), sent (one request) and removed. A chunk's number is the time its first message was
 * queued, kept increasing per owner, so sending each owner's chunks by number keeps its order.
 */
export interface Chunk {
  /** Storage key: `LoupeQueue:<owner agent session id>:<number>`. */
  key: string;
  /** The agent session id that wrote the messages. */
  owner: string;
  number: number;
  /** The messages' JSON texts; undefined while they are only in storage (read before sending). */
  items?: string[] | undefined;
  /** UTF-8 bytes of the items, one comma each included. */
  bytes: number;
  /** Storage holds exactly these items. */
  saved: boolean;
}

/** Prefix of every storage key and lock name of the queue. */
export const QUEUE_PREFIX = 'LoupeQueue:';

/** A new empty chunk of `owner`, or (without items) one standing for what storage holds. */
export function createChunk(owner: string, number: number, items?: string[]): Chunk {
  return {
    key: QUEUE_PREFIX + owner + ':' + number,
    owner,
    number,
    items,
    bytes: 0,
    saved: !items,
  };
}

/** The chunk a queue storage key stands for (its messages not read yet); undefined for other keys. */
export function chunkOfKey(key: string | null): Chunk | undefined {
  const match = /^LoupeQueue:([^:]+):(\d+)$/.exec(key as string);
  return match ? createChunk(match[1] as string, Number(match[2])) : undefined;
}

/**
 * Drop the oldest messages of `owner` until the queue holds at most `maxCount` messages and
 * `maxBytes` bytes. `busy` (the chunk being sent) is left alone. Returns how many were dropped.
 */
export function trimQueue(
  chunks: Chunk[],
  owner: string,
  maxCount: number,
  maxBytes: number,
  busy?: Chunk,
): number {
  let count = 0;
  let bytes = 0;
  for (const chunk of chunks) {
    count += chunk.items?.length ?? 0;
    bytes += chunk.items ? chunk.bytes : 0;
  }
  let dropped = 0;
  for (const chunk of chunks) {
    const items = chunk.owner == owner && chunk != busy && chunk.items;
    while (items && items.length && (count > maxCount || bytes > maxBytes)) {
      const size = utf8Length(items.shift() as string) + 1;
      chunk.bytes -= size;
      chunk.saved = false;
      bytes -= size;
      count--;
      dropped++;
    }
  }
  return dropped;
}
