import { describe, expect, it } from 'vitest';
import { newUuid } from '../../src/session/newUuid';

describe('newUuid', () => {
  it('makes random version 4 UUIDs in the 8-4-4-4-12 form', () => {
    const ids = Array.from({ length: 2000 }, newUuid);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Every other hex digit varies: the bytes come from the random source, not a fixed pattern.
    for (const position of [0, 9, 15, 20, 35])
      expect(new Set(ids.map((id) => id[position])).size).toBeGreaterThan(8);
  });
});
