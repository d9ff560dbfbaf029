import type { MethodSourceInfoConstructor, MethodSourceInfoShape } from '../types';

/** The legacy constructor: `new MethodSourceInfo(file, method, line, column)`; also callable without `new`. */
export const MethodSourceInfo = function (
  this: MethodSourceInfoShape | undefined,
  file: string,
  method: string,
  line?: number,
  column?: number,
): MethodSourceInfoShape {
  const target: MethodSourceInfoShape = this instanceof MethodSourceInfo ? this : {};
  target.file = file;
  target.method = method;
  target.line = line;
  target.column = column;
  return target;
} as unknown as MethodSourceInfoConstructor;

/** Keep only the contract's fields with the contract's types. */
export function toMethodSourceInfo(value: unknown): MethodSourceInfoShape | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const source = value as Record<string, unknown>;
  const result: MethodSourceInfoShape = {};
  for (const key of ['file', 'class', 'method'] as const) {
    if (source[key] != null) result[key] = String(source[key]);
  }
  for (const key of ['line', 'column'] as const) {
    result[key] = toWholeNumber(source[key]);
  }
  return result;
}

/** A whole number or null: the server binds these as `int?`. */
export function toWholeNumber(value: unknown): number | null {
  const number = typeof value === 'string' ? parseInt(value, 10) : value;
  return typeof number === 'number' && isFinite(number) ? Math.trunc(number) : null;
}
