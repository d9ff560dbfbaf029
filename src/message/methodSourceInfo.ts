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

/** Text, or undefined for null and undefined: the contract's optional text fields. */
export const toOptionalText = (value: unknown) => (value == null ? undefined : String(value));

/** A whole number or null: the server binds these as `int?`. */
export const toWholeNumber = (value: any): number | null =>
  Number.isFinite((value = typeof value == 'string' ? parseInt(value) : value))
    ? Math.trunc(value)
    : null;
