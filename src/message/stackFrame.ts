/** One parsed line of a stack trace. */
export interface StackFrame {
  method: string;
  file: string;
  line: number;
  column: number;
}

// Chrome/Edge: "    at method (file:line:column)" or "    at file:line:column".
const V8_FRAME = /^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?\s*$/;
// Firefox and Safari: "method@file:line:column" ("@file..." for anonymous code).
const GECKO_FRAME = /^\s*(.*?)@(.+?):(\d+):(\d+)\s*$/;

/** Parse one stack line in the Chrome, Firefox or Safari format; undefined for anything else. */
export function parseStackFrame(line: string): StackFrame | undefined {
  const match = V8_FRAME.exec(line) || GECKO_FRAME.exec(line);
  if (!match) return undefined;
  return {
    method: match[1] || '<anonymous>',
    file: match[2] as string,
    line: Number(match[3]),
    column: Number(match[4]),
  };
}

/** The frame lines of a stack: the "Name: message" header that V8 puts first is left out. */
export function stackLines(stack: unknown): string[] {
  if (typeof stack !== 'string' || !stack) return [];
  const lines = stack.split('\n');
  const result: string[] = [];
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed && parseStackFrame(trimmed)) result.push(trimmed);
  }
  return result;
}
