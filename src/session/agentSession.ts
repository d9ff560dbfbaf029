import type { SafeStorage } from '../util/safeStorage';

const ID_KEY = 'LoupeAgentSessionId';
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
  release(): void;
  /** The page came back from the back/forward cache. */
  reclaim(): void;
}

/**
 * Take the tab's agent session id from sessionStorage, or make a new one when there is none or
 * when the stored one belongs to another live page (the storage was copied into this tab).
 */
export function openAgentSession(
  storage: SafeStorage | undefined,
  newId: () => string,
): AgentSession {
  let id = storage?.get(ID_KEY);
  let reserved = 0;
  if (!id || storage?.get(LIVE_KEY) === id) {
    id = newId();
    storage?.set(ID_KEY, id);
  } else {
    reserved = parseInt(storage?.get(SEQUENCE_KEY) ?? '', 10) || 0;
  }
  const sessionId = id;
  let sequence = reserved;
  const reserve = () => {
    reserved = sequence + SEQUENCE_BLOCK;
    storage?.set(SEQUENCE_KEY, String(reserved));
  };
  reserve();
  const reclaim = () => {
    storage?.set(LIVE_KEY, sessionId);
  };
  reclaim();
  return {
    id: sessionId,
    nextSequence() {
      if (++sequence >= reserved) reserve();
      return sequence;
    },
    release() {
      if (storage?.get(LIVE_KEY) === sessionId) storage.remove(LIVE_KEY);
    },
    reclaim,
  };
}
