// The message filter's module comes first in the drop-in script and the size budget's last, which
// gzip compresses a few bytes better (see the imports of src/agent.ts).
import { createMessageFilter } from './createMessageFilter';
import type { Scope } from '../context';
import { PAGE_ONLY } from '../environment';
import { type WriteArguments, createMessage } from '../message/createMessage';
import { createTimeStamper } from '../message/timeStamp';
import { toJsonSafe, toJsonText, toText } from '../message/toJsonText';
import type { AgentSession } from '../session/agentSession';
import { toSeverity } from '../severity';
import type { AgentOptions, LogMessage, MessageContext, OutgoingMessage } from '../types';
import { createPageUrl } from './createPageUrl';
import { mergeDetails } from './mergeDetails';
import { MAX_MESSAGE_BYTES, serializeWithinBudget } from '../message/sizeBudget';

/** What assembly reads from the rest of the agent. */
export interface AssemblyInputs {
  scope: Scope | undefined;
  options: Readonly<AgentOptions>;
  session: AgentSession;
  /** The session id for messages: `setSessionId`'s, else the `LoupeSessionId` cookie's. */
  sessionId(): string;
  /** Queue a message's JSON text of `bytes` UTF-8 bytes. */
  deliver(json: string, bytes: number): void;
  /** What delivery dropped since it was last asked, by reason. */
  takeDropped(): Record<string, number> | undefined;
}

/** The one step every message goes through, whoever wrote it. */
export interface Assembler {
  /** Build, stamp, filter, pass to `beforeSend`, size-check and deliver one message. Never throws. */
  write(severity: unknown, args: WriteArguments): void;
  setContext(name: string, value: unknown): void;
  /** Report what delivery dropped, as a warning of the agent's own. */
  reportDropped(): void;
  /** How many messages the filters and `beforeSend` dropped, by reason. */
  droppedCounts(): Record<string, number>;
}

/**
 * Every message (the app's log calls, captured errors and failed requests, the agent's own
 * reports) enters here and flows one way: built from what the writer gave, stamped with time,
 * ids and sequence, given the page, release and context, filtered, shown to `beforeSend`,
 * fitted within `maxMessageSize` and handed to delivery.
 */
export function createAssembler({
  scope,
  options,
  session,
  sessionId,
  deliver,
  takeDropped,
}: AssemblyInputs): Assembler {
  const { beforeSend } = options;
  // Not a number (`data-max-message-size="60KB"`): the default. Never more, whatever the option
  // says, so that every message fits a beacon.
  const maxMessageSize = Math.min(+options.maxMessageSize! || MAX_MESSAGE_BYTES, MAX_MESSAGE_BYTES);
  const release = toText(options.release || '');
  const minSeverity = toSeverity(options.minSeverity ?? 16);
  const filter = createMessageFilter(options);
  const timeStamp = createTimeStamper();
  // (Read only past write's check for a page.)
  const pageUrl = createPageUrl(scope as Scope);
  const context: Record<string, unknown> = {};
  const dropped: Record<string, number> = {};
  // The context as JSON text, for the page it was made for; made again when the page changes, and
  // after setContext, which forgets the page.
  let contextText: string | undefined;
  let contextPage: string | undefined;
  let hooked: boolean | undefined;
  let complained: boolean | undefined;

  const drop: (why: string) => void = (why) => (dropped[why] = (dropped[why] || 0) + 1);
  const describeContext = (page: string) => {
    const described: MessageContext = { page };
    if (release) described.release = release;
    if (Object.keys(context)[0]) described.context = { ...context };
    return described;
  };

  // `limit` is left out by every caller but the one below: the short notice that replaces a
  // message too big even without its details is queued whatever its size, never replaced again.
  const write = (severity: unknown, args: WriteArguments, limit = maxMessageSize): void => {
    // Outside a page nothing is logged (see src/environment.ts).
    if (!PAGE_ONLY && !scope) return;
    const level = toSeverity(severity);
    // Checked first, so that a message that is not wanted costs nothing more.
    if (level > minSeverity) return drop('minSeverity');
    // A message written by beforeSend itself would call it again, without end.
    if (hooked) return drop('beforeSend');
    try {
      reportDropped();
      // The agent's own stamps: whatever `beforeSend` does to them, they go out as they were.
      const stamp = timeStamp(Date.now());
      let message: LogMessage = createMessage(level, args, stamp, 0, session.id, sessionId());
      const page = pageUrl();
      // The page is an exception's URL, as the older agents sent it; an exception object that
      // names its own URL keeps it.
      if (message.exception && !(args[4] as { url?: unknown })?.url) message.exception.url = page;
      const reason = filter(message);
      if (reason) return drop(reason);
      const sequence = (message.sequence = session.nextSequence());
      if (beforeSend) {
        (message as OutgoingMessage).loupe = describeContext(page);
        let result;
        hooked = true;
        try {
          result = beforeSend(message);
          if (result === undefined) throw 'returned undefined';
        } catch (error) {
          // `result` is left undefined: the message is dropped.
          if (!complained)
            console.error('[loupe-agent] beforeSend failed, message dropped: ' + toText(error));
          complained = true;
        }
        hooked = false;
        if (!result || typeof result != 'object') return drop('beforeSend');
        // Rebuilt, so that it binds whatever the hook did to it, with its `loupe` added to its
        // details.
        const { loupe } = result as Partial<OutgoingMessage>;
        message = createMessage(
          result.severity,
          [
            result.category,
            result.caption,
            result.description,
            result.parameters,
            result.exception,
            result.details,
            result.methodSourceInfo,
          ],
          stamp,
          sequence,
          session.id,
          toText(result.sessionId),
        );
        if (loupe) message.details = mergeDetails(message.details, toJsonText(loupe));
      } else {
        // The page is kept once the text is made: one that could not be made is tried again.
        if (page != contextPage) {
          contextText = JSON.stringify(describeContext(page));
          contextPage = page;
        }
        message.details = mergeDetails(message.details, contextText!);
      }
      const fitted = serializeWithinBudget(message, limit);
      if (fitted) deliver(...fitted);
      else
        write(
          4,
          [
            'Loupe',
            'Message dropped',
            `Category "${message.category.slice(0, 99)}", caption "${message.caption.slice(0, 99)}": over ${limit} bytes even without details.`,
          ],
          1 / 0,
        );
    } catch {}
  };

  const reportDropped = () => {
    const counts = takeDropped();
    for (const why in counts)
      write(4, [
        'Loupe',
        'Messages dropped',
        counts[why] + ' log messages were dropped: ' + why + '.',
      ]);
  };

  return {
    write,
    setContext(name, value) {
      name = toText(name);
      if (value === undefined) delete context[name];
      else context[name] = toJsonSafe(value, 1, []);
      contextPage = undefined;
    },
    reportDropped,
    droppedCounts: () => ({ ...dropped }),
  };
}
