import type { MethodSourceInfoConstructor, MethodSourceInfoShape } from '../types';

/** The legacy constructor: `new MethodSourceInfo(file, method, line, column)`; also callable without `new`. */
export const MethodSourceInfo = function (
  this: unknown,
  file: string,
  method: string,
  line?: number,
  column?: number,
): MethodSourceInfoShape {
  return Object.assign(this instanceof MethodSourceInfo ? this : {}, {
    file,
    method,
    line,
    column,
  });
} as unknown as MethodSourceInfoConstructor;

const toOptionalText = (value: unknown) => (value == null ? undefined : String(value));

/** Keep only the contract's fields with the contract's types. */
export function toMethodSourceInfo(value: any): MethodSourceInfoShape | undefined {
  return value && typeof value == 'object'
    ? {
        file: toOptionalText(value.file),
        class: toOptionalText(value.class),
        method: toOptionalText(value.method),
        line: toWholeNumber(value.line),
        column: toWholeNumber(value.column),
      }
    : undefined;
}

/** A whole number or null: the server binds these as `int?`. */
export function toWholeNumber(value: unknown): number | null {
  const number = typeof value == 'string' ? parseInt(value, 10) : value;
  return typeof number == 'number' && isFinite(number) ? Math.trunc(number) : null;
}
