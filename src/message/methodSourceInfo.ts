import type { MethodSourceInfoConstructor, MethodSourceInfoShape } from '../types';

/** The legacy constructor: `new MethodSourceInfo(file, method, line, column)`; also callable without `new`. */
export const MethodSourceInfo = function (
  this: MethodSourceInfoShape,
  file: string,
  method: string,
  line?: number,
  column?: number,
): MethodSourceInfoShape {
  return Object.assign(new.target ? this : {}, { file, method, line, column });
} as unknown as MethodSourceInfoConstructor;

const toOptionalText = (value: unknown) => (value == null ? undefined : String(value));

/** Keep only the contract's fields with the contract's types; nothing for a non-object. */
export const toMethodSourceInfo = (value: any): MethodSourceInfoShape | false =>
  value &&
  typeof value == 'object' && {
    file: toOptionalText(value.file),
    class: toOptionalText(value.class),
    method: toOptionalText(value.method),
    line: toWholeNumber(value.line),
    column: toWholeNumber(value.column),
  };

/** A whole number or null: the server binds these as `int?`. */
export const toWholeNumber = (value: any): number | null =>
  Number.isFinite((value = typeof value == 'string' ? parseInt(value) : value))
    ? Math.trunc(value)
    : null;
