import { type Chunk, partKey, storedChunks } from './queue';

/**
 * The stored chunks to remove, oldest first, so that storage holds at most `budget` characters of
 * chunks once `adding` more are written. `sizes` are the characters (key and value) of every
 * chunk part in storage, whichever page wrote it; `keep` (the chunk being written) is never chosen.
 * Characters, not bytes: browsers count localStorage's quota in UTF-16 code units.
 */
export const chunksOverBudget = (
  sizes: Record<string, number>,
  adding: number,
  budget: number,
  keep: string,
): Chunk[] => {
  let total = adding;
  for (const key in sizes) total += sizes[key] as number;
  const over: Chunk[] = [];
  for (const chunk of storedChunks(Object.keys(sizes)).sort((a, b) => a.number - b.number)) {
    if (total <= budget) break;
    if (partKey(chunk) == keep) continue;
    for (let part = 0; part < chunk.parts; part++) total -= sizes[partKey(chunk, part)] || 0;
    over.push(chunk);
  }
  return over;
};
