import type { LogBatch, LoupeStore } from './types';

/** The default store: the most recent batches, in memory. */
export interface MemoryStore extends LoupeStore {
  /** Accepted batches, oldest first. */
  readonly batches: readonly LogBatch[];
}

/** Keep the last `limit` accepted batches in memory (default 1000). */
export function createMemoryStore(limit = 1000): MemoryStore {
  const batches: LogBatch[] = [];
  return {
    batches,
    saveBatch(batch) {
      batches.push(batch);
      if (batches.length > limit) batches.splice(0, batches.length - limit);
    },
  };
}
