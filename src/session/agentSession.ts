import type { SafeStorage } from '../util/safeStorage';

export const ID_KEY = 'LoupeAgentSessionId';
const SEQUENCE_KEY = 'LoupeSequenceNumber';
// Set while a page of this tab is alive, cleared on pagehide. A page that finds it set with its
// own id is in a tab whose sessionStorage was copied from a live one (duplicated tab, window.open).
const LIVE_KEY = 'LoupeAgentSessionLive';
// Sequence numbers are reserved in blocks so that a log call rarely writes storage.
const SEQUENCE_BLOCK = 100;

/** The tab's agent session: its id and its strictly increasing sequence numbers. */
export interface AgentSession {
  readonly id: string;
  nextSequence(): number;
  /** The page is going away (pagehide): a reload of this tab may keep the id. */
  letGo(): void;
  /** The page is live (install), or came back from the back/forward cache (`resumed`). */
  reclaim(resumed?: boolean): void;
}

/**
 * Take the tab's agent session id from sessionStorage, or make a new one when there is none or
 * when the stored one belongs to another live page (the storage was copied into this tab).
 */
export function openAgentSession(
  storage: SafeStorage | undefined,
  newId: () => string,
): AgentSession {
  // Missing, empty or garbled reads as 0.
  const storedSequence = () => +(storage?.get(SEQUENCE_KEY) as string) || 0;
  const stored = storage?.get(ID_KEY);
  let sequence = 0;
  let reserved: number;
  const id =
    stored && storage?.get(LIVE_KEY) != stored ? ((sequence = storedSequence()), stored) : newId();
  const reserve = () => storage?.set(SEQUENCE_KEY, '' + (reserved = sequence + SEQUENCE_BLOCK));
  storage?.set(ID_KEY, id);
  reserve();
  return {
    id,
    nextSequence: () => (++sequence >= reserved && reserve(), sequence),
    letGo: () => storage?.get(LIVE_KEY) == id && storage.remove(LIVE_KEY),
    reclaim(resumed) {
      // Another page of this tab may have run meanwhile and used the numbers it reserved.
      if (resumed && storedSequence() > sequence) {
        sequence = storedSequence();
        reserve();
      }
      storage?.set(LIVE_KEY, id);
    },
  };
}
