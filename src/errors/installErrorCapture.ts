import type { AgentContext } from '../context';
import { toText } from '../message/toJsonText';

/** Capture uncaught errors and unhandled rejections. */
export function installErrorCapture(_context: AgentContext): void {}

/** Log an error the way uncaught errors are logged: severity error, the error's name as caption. */
export function recordError(
  context: AgentContext,
  error: unknown,
  details?: unknown,
  category?: string,
): void {
  let caption = 'Error';
  try {
    if (error instanceof Error && error.name) caption = error.name;
  } catch {}
  const description = error instanceof Error ? toText(error.message) : toText(error);
  context.write(2, [category ?? 'JavaScript', caption, description, null, error ?? null, details]);
}
