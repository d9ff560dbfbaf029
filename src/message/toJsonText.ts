/**
 * Turn any value into JSON text without throwing: circular references, BigInt, functions, symbols,
 * DOM nodes and getters that throw all become readable placeholders.
 */
export const toJsonText = (value: unknown): string => {
  try {
    // toJsonSafe never throws; stringifying its copy can (a sparse array too long for a string).
    return JSON.stringify(toJsonSafe(value, 0, []));
  } catch {
    return '"[Unreadable]"';
  }
};

/**
 * A copy of `value` that `JSON.stringify` can always serialize: at most 8 levels deep, 200 keys per
 * object, read under one guard so that nothing the value does can throw out of it.
 */
export function toJsonSafe(value: any, depth: number, ancestors: object[]): unknown {
  try {
    if (value == null) return null;
    if (typeof value == 'function') return ('[Function ' + value.name).trim() + ']';
    // Strings keep their type through String(); NaN, Infinity, BigInt and symbols become text.
    if (typeof value != 'object')
      return typeof value == 'boolean' || Number.isFinite(value) ? value : String(value);
    if (ancestors.includes(value)) return '[Circular]';
    // From here on, `depth` is that of what the value holds.
    if (++depth > 8) return '[Object]';
    if (value.nodeType > 0 && typeof value.nodeName == 'string')
      return '<' + value.nodeName.toLowerCase() + (value.id ? '#' + value.id : '') + '>';
    if (typeof value.toJSON == 'function') return toJsonSafe(value.toJSON(), depth, ancestors);
    // Arrays, objects and errors alike: each key read on its own, so one throwing getter costs one
    // value. An error's useful fields are not its own enumerable keys.
    const copy: any = Array.isArray(value) ? [] : {};
    ancestors = [...ancestors, value];
    for (const key of value instanceof Error
      ? ['name', 'message', 'stack']
      : Object.keys(value).slice(0, 200)) {
      let item;
      try {
        item = value[key];
      } catch (error) {
        item = '[Threw: ' + ((error as any)?.message ?? error) + ']';
      }
      copy[key] = toJsonSafe(item, depth, ancestors);
    }
    return copy;
  } catch {
    return '[Unreadable]';
  }
}

/** A string for a caption, category or description: strings as they are, anything else readable. */
export const toText = (value: unknown): string => {
  try {
    if (value == null) return '';
    if (typeof value != 'object' || value instanceof Error) return String(value);
  } catch {}
  return toJsonText(value);
};
