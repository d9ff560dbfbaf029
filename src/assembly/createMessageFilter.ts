import { topStackFrame } from '../message/stackFrame';
import type { AgentOptions, LogMessage, TextPattern } from '../types';

// Scripts of browser extensions: errors thrown only there are not the app's.
const EXTENSION = /^(chrome|moz|safari(-web)?)-extension:/;

const matches = (patterns: readonly TextPattern[], text: string) =>
  patterns.some((pattern) =>
    typeof pattern == 'string' ? text.includes(pattern) : pattern.test(text),
  );

/**
 * Decides which errors are not logged, and why: the reason (the name of the option that dropped
 * it, or `noise`), or undefined to keep it. It looks at errors only: messages with an exception,
 * and error or critical messages without one (by their caption). `ignoreErrors` is tested against
 * the error's message; `denyUrls` and `allowUrls` against the script where it was thrown (the
 * message's source file, else the top stack frame's); an error whose place is unknown passes
 * `allowUrls`. Unless `noiseFilters` is false, errors thrown in a browser extension's script
 * whose stack names no web page's script, and the browser's `ResizeObserver loop` notices, are
 * noise.
 */
export function createMessageFilter(
  options: AgentOptions,
): (message: LogMessage) => string | undefined {
  // A single pattern counts as a list of one.
  const [ignore, deny, allow] = [options.ignoreErrors, options.denyUrls, options.allowUrls].map(
    (patterns) => ([] as TextPattern[]).concat(patterns ?? []),
  ) as [TextPattern[], TextPattern[], TextPattern[]];
  const noise = options.noiseFilters !== false;
  return ({ exception, severity, caption, methodSourceInfo }) => {
    // Errors only: messages with an exception, or of severity error (2) or critical (1).
    if (!exception && severity > 2) return;
    const text = exception ? exception.message : caption;
    if (noise && /^ResizeObserver loop/.test(text)) return 'noise';
    if (matches(ignore, text)) return 'ignoreErrors';
    const file = methodSourceInfo?.file || (exception && topStackFrame(exception.stackTrace)?.file);
    if (file) {
      if (
        noise &&
        EXTENSION.test(file) &&
        !exception?.stackTrace.some((line) => /(https?|file):\/\//.test(line))
      )
        return 'noise';
      if (matches(deny, file)) return 'denyUrls';
      if (allow[0] && !matches(allow, file)) return 'allowUrls';
    }
  };
}
