/** Counts of dropped messages by reason, taken by whoever reports them. */
export interface DropCounter {
  count(messages: number, why: string): void;
  /** The counts since the last call; undefined when none. */
  take(): Record<string, number> | undefined;
}

export function createDropCounter(): DropCounter {
  let dropped: Record<string, number> | undefined;
  return {
    count: (messages, why) => {
      if (messages) (dropped ||= {})[why] = (dropped[why] || 0) + messages;
    },
    take: () => {
      const taken = dropped;
      dropped = undefined;
      return taken;
    },
  };
}
