import { describe, expect, it } from 'vitest';
import { openAgentSession } from '../../src/session/agentSession';
import type { SafeStorage } from '../../src/util/safeStorage';

function memoryStorage(
  entries: Record<string, string> = {},
): SafeStorage & { entries: Record<string, string> } {
  return {
    entries,
    get: (key) => entries[key] ?? null,
    set: (key, value) => ((entries[key] = value), true),
    remove: (key) => void delete entries[key],
    keys: () => Object.keys(entries),
  };
}

let counter = 0;
const newId = () => `id-${++counter}`;

describe('openAgentSession', () => {
  it('makes a new id and stores it', () => {
    const storage = memoryStorage();
    const session = openAgentSession(storage, newId);
    expect(storage.entries.LoupeAgentSessionId).toBe(session.id);
  });

  it('keeps the id and keeps counting up across a reload of the tab', () => {
    const storage = memoryStorage();
    const first = openAgentSession(storage, newId);
    first.reclaim();
    const used = [first.nextSequence(), first.nextSequence(), first.nextSequence()];
    first.letGo(); // pagehide
    const second = openAgentSession(storage, newId);
    expect(second.id).toBe(first.id);
    expect(second.nextSequence()).toBeGreaterThan(Math.max(...used));
  });

  it('numbers strictly increase past the reserved block', () => {
    const storage = memoryStorage();
    const session = openAgentSession(storage, newId);
    let last = 0;
    for (let i = 0; i < 350; i++) {
      const next = session.nextSequence();
      expect(next).toBeGreaterThan(last);
      last = next;
    }
    session.letGo();
    expect(openAgentSession(storage, newId).nextSequence()).toBeGreaterThan(last);
  });

  it('gets an id of its own when the storage was copied from a live page', () => {
    const original = memoryStorage();
    const live = openAgentSession(original, newId);
    live.reclaim();
    live.nextSequence();
    // A duplicated tab or window.open child starts with a copy of the opener's sessionStorage.
    const copy = memoryStorage({ ...original.entries });
    const child = openAgentSession(copy, newId);
    expect(child.id).not.toBe(live.id);
    expect(child.nextSequence()).toBe(1);
    expect(copy.entries.LoupeAgentSessionId).toBe(child.id);
  });

  it('numbers after the pages that ran while it was in the back/forward cache', () => {
    const storage = memoryStorage();
    const cached = openAgentSession(storage, newId);
    cached.reclaim();
    cached.nextSequence();
    cached.letGo(); // pagehide into the back/forward cache
    const next = openAgentSession(storage, newId); // the tab's next page
    next.reclaim();
    let last = 0;
    for (let i = 0; i < 250; i++) last = next.nextSequence();
    next.letGo();
    cached.reclaim(true); // pageshow with persisted: back to the cached page
    expect(next.id).toBe(cached.id);
    expect(cached.nextSequence()).toBeGreaterThan(last);
  });

  it('works without storage', () => {
    const session = openAgentSession(undefined, newId);
    expect(session.nextSequence()).toBe(1);
    expect(session.nextSequence()).toBe(2);
    expect(() => (session.letGo(), session.reclaim())).not.toThrow();
  });
});
