/** One parsed line of a stack trace. */
export interface StackFrame {
  /** '<anonymous>' when the browser names none. */
  method: string;
  file: string;
  line: number;
  /** Null when the browser gives none (old Firefox and Safari, code run by eval). */
  column: number | null;
}

// One trimmed stack line, in the formats of
//   Chrome/Edge: "at method (file:1:2)", "at file:1:2", "at new Foo (…)", "at async method (…)";
//   Firefox:     "method@file:1:2", "@file:1:2", and behind the frame that scheduled the code, the
//                way it was scheduled: "async*method@file:1:2", "setTimeout handler*@file:1:2",
//                "promise callback*method@…", "EventListener.handleEvent*@…";
//   Safari:      "method@file:1:2", "global code@file:1:2", "file:1:2", "method@file:1" (old).
// Lines without a place ("at Array.map (<anonymous>)", "forEach@[native code]", "eval code@")
// do not match.
// Code run by eval or new Function gives the place of the call that ran it: Chrome nests that
// place in the frame's, "eval at f (file:3:1), <anonymous>:1:2" (the eval-at prefixes are
// skipped, so the innermost place is taken); Firefox writes "file line 3 > eval:1:2" and gives
// no column for the call. What may follow the place is anchored, so a file name that merely
// contains ":1" or " line 2" is read whole.
const FRAME =
  /^(?:at )?(?:async |[^@(*]*\*)?(?:(.*?)(?: \(|@))?(?:eval at [^(]*\()*(.+?)(?::| line )(\d+)(?::(\d+))?\)?(?:, .*| > .*)?$/;

/** Parse one stack line in the Chrome, Firefox or Safari format; undefined for anything else. */
export const parseStackFrame = (text: string): StackFrame | undefined => {
  // A match always has a file.
  const [, method, file, line, column] = FRAME.exec(text.trim()) || [];
  if (file)
    return { method: method || '<anonymous>', file, line: +line!, column: column ? +column : null };
};

/**
 * The frame lines of a stack, trimmed. Chrome's stack starts with the "Name: message" header
 * (several lines when the message has several): only its "at …" lines are frames. Firefox and
 * Safari have no header; their frames hold an "@" or end with a line number. Safari writes a
 * frame of code that has no source (a script run by the browser's automation, for one) as a bare
 * "@", which says nothing: a line needs more than the "@".
 */
export const stackLines = (stack: unknown): string[] =>
  (
    (typeof stack == 'string' &&
      (stack.match(/^\s*at .*/gm) || stack.match(/.*(.@|@.|:\d+$).*/gm))) ||
    []
  ).map((line) => line.trim());

/** The first frame with a place: the code that threw, or the last one before native code. */
export const topStackFrame = (lines: readonly string[]): StackFrame | undefined =>
  lines.map(parseStackFrame).find((frame) => frame);
