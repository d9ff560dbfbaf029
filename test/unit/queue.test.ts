import { expect, it } from 'vitest';
import { createChunk, partKey, storedChunks, trimQueue } from '../../src/delivery/queue';

const chunkOf = (owner: string, number: number, items: string[]) => {
  const chunk = createChunk(owner, number, items);
  chunk.bytes = items.reduce((sum, item) => sum + Buffer.byteLength(item) + 1, 0);
  chunk.saved = items.length;
  chunk.parts = 1;
  return chunk;
};

// Reads nothing: the queue's unread chunks stay unread.
const unreadable = () => false;

it('names a chunk by its owner and number, and reads the name back', () => {
  const chunk = createChunk('3f1c-owner', 1763719200123, []);
  const key = partKey(chunk, 0);
  expect(key).toBe('LoupeQueue:3f1c-owner:1763719200123');
  expect(partKey(chunk, 2)).toBe('LoupeQueue:3f1c-owner:1763719200123:2');
  expect(chunk).toMatchObject({ saved: 0, parts: 0, bytes: 0, items: [] });
  expect(storedChunks([key])).toMatchObject([
    {
      owner: '3f1c-owner',
      number: 1763719200123,
      items: undefined,
      parts: 1,
    },
  ]);
});

it('reads the parts of a stored chunk as one chunk', () => {
  const chunks = storedChunks([
    'LoupeQueue:a:5:2',
    'LoupeQueue:b:7',
    'LoupeQueue:a:5',
    'LoupeAgentSessionId',
    'LoupeQueue:a:5:1',
  ]);
  expect(
    chunks.map((chunk) => [partKey(chunk, 0), chunk.owner, chunk.number, chunk.parts]),
  ).toEqual([
    ['LoupeQueue:a:5', 'a', 5, 3],
    ['LoupeQueue:b:7', 'b', 7, 1],
  ]);
});

it('ignores keys that are not queue chunks', () => {
  for (const key of [
    null,
    '',
    'LoupeQueue:owner',
    'LoupeQueue:owner:',
    'LoupeQueue:owner:12x',
    'LoupeQueue:a:b:1',
    'LoupeQueue:owner:012',
    'Loupe-message-1',
    'LoupeAgentSessionId',
    'other:owner:1',
  ])
    expect(storedChunks([key])).toEqual([]);
});

it('keeps a queue within bounds as it is', () => {
  const chunks = [chunkOf('me', 1, ['a', 'b']), chunkOf('me', 2, ['c'])];
  expect(trimQueue(chunks, 3, 6, unreadable)).toBe(0);
  expect(chunks.map((chunk) => chunk.items)).toEqual([['a', 'b'], ['c']]);
  expect(chunks.map((chunk) => chunk.saved)).toEqual([2, 1]);
});

it('drops the oldest messages first to stay under the message cap', () => {
  const chunks = [chunkOf('me', 1, ['a', 'b']), chunkOf('me', 2, ['c', 'd'])];
  expect(trimQueue(chunks, 1, 1e9, unreadable)).toBe(3);
  expect(chunks.map((chunk) => chunk.items)).toEqual([[], ['d']]);
  expect(chunks.map((chunk) => chunk.bytes)).toEqual([0, 2]);
  expect(chunks.map((chunk) => chunk.saved)).toEqual([0, 0]);
});

it('drops the oldest messages first to stay under the byte cap, counting UTF-8 bytes', () => {
  const chunks = [chunkOf('me', 1, ['"€€"', '"b"']), chunkOf('me', 2, ['"c"'])];
  // 9 + 4 + 4 bytes with commas; a cap of 8 leaves the last two.
  expect(trimQueue(chunks, 100, 8, unreadable)).toBe(1);
  expect(chunks.map((chunk) => chunk.items)).toEqual([['"b"'], ['"c"']]);
});

it('drops the oldest first whatever session wrote them, leaving alone the chunk being sent and unread chunks', () => {
  const busy = chunkOf('me', 1, ['a']);
  const left = chunkOf('closed', 2, ['b', 'c']);
  const unread = createChunk('me', 3);
  const last = chunkOf('me', 4, ['d', 'e']);
  const chunks = [busy, left, unread, last];
  expect(trimQueue(chunks, 2, 1e9, unreadable, busy)).toBe(3);
  expect(chunks.map((chunk) => chunk.items)).toEqual([['a'], [], undefined, ['e']]);
});

it('counts an unread chunk as a full batch, and reads the oldest only while that estimate is over', () => {
  const unread = [createChunk('closed', 1), createChunk('closed', 2), createChunk('closed', 3)];
  const own = chunkOf('me', 4, ['"d"']);
  const chunks = [...unread, own];
  const read: number[] = [];
  // Each unread chunk turns out to hold two messages of 4 bytes with their commas.
  const readChunk = (chunk: ReturnType<typeof createChunk>) => {
    read.push(chunk.number);
    chunk.items = ['"a"', '"b"'];
    chunk.bytes = 8;
    chunk.saved = 2;
    return true;
  };
  // Three full batches and 4 bytes: within 3 × 61,440 + 4 nothing is read.
  expect(trimQueue(chunks, 100, 3 * 61_440 + 4, readChunk)).toBe(0);
  expect(read).toEqual([]);
  // Within 70,000 bytes: reading the first leaves 2 × 61,440 + 12, reading the second 61,460;
  // the third stays unread, and nothing is dropped.
  expect(trimQueue(chunks, 100, 70_000, readChunk)).toBe(0);
  expect(read).toEqual([1, 2]);
  expect(unread.map((chunk) => chunk.items?.length)).toEqual([2, 2, undefined]);
  // Within 12 bytes: the last is read too (28 bytes in all), and the oldest messages go first.
  expect(trimQueue(chunks, 100, 12, readChunk)).toBe(4);
  expect(read).toEqual([1, 2, 3]);
  expect(chunks.map((chunk) => chunk.items)).toEqual([[], [], ['"a"', '"b"'], ['"d"']]);
});
