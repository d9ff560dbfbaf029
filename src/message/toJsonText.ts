const MAX_DEPTH = 8;
const MAX_KEYS = 200;

/**
 * Turn any value into JSON text without throwing: circular references, BigInt, functions, symbols,
 * DOM nodes and getters that throw all become readable placeholders.
 */
export function toJsonText(value: unknown): string {
  try {
    return JSON.stringify(toJsonSafe(value)) ?? 'null';
  } catch {
    return '"[unserializable]"';
  }
}

/** A copy of `value` that `JSON.stringify` can always serialize. */
export function toJsonSafe(value: any, depth = 0, ancestors: object[] = []): unknown {
  const type = typeof value;
  if (type == 'function') return '[Function' + (value.name ? ' ' + value.name : '') + ']';
  if (type == 'bigint' || type == 'symbol' || (type == 'number' && !isFinite(value))) {
    return String(value);
  }
  if (!value || type != 'object') return value ?? null;
  if (ancestors.includes(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Object]';
  try {
    if (value.nodeType > 0 && typeof value.nodeName == 'string') {
      return '<' + value.nodeName.toLowerCase() + (value.id ? '#' + value.id : '') + '>';
    }
    if (value instanceof Error)
      value = { name: value.name, message: value.message, stack: value.stack };
    else if (typeof value.toJSON == 'function')
      return toJsonSafe(value.toJSON(), depth + 1, ancestors);
  } catch {
    return '[Unreadable]';
  }
  // Arrays and objects alike: each own key read on its own, so one throwing getter costs one value.
  const copy: any = Array.isArray(value) ? [] : {};
  ancestors.push(value);
  try {
    for (const key of Object.keys(value).slice(0, MAX_KEYS)) {
      let item;
      try {
        item = value[key];
      } catch (error) {
        item = '[Threw: ' + (error instanceof Error ? error.message : error) + ']';
      }
      copy[key] = toJsonSafe(item, depth + 1, ancestors);
    }
  } catch {}
  ancestors.pop();
  return copy;
}

/** A string for a caption, category or description: strings as they are, anything else readable. */
export function toText(value: unknown): string {
  if (typeof value == 'string') return value;
  if (value == null) return '';
  try {
    return typeof value == 'object' && !(value instanceof Error)
      ? toJsonText(value)
      : String(value);
  } catch {
    return toJsonText(value);
  }
}
