const MAX_DEPTH = 8;
const MAX_KEYS = 200;

/**
 * Turn any value into JSON text without throwing: circular references, BigInt, functions, symbols,
 * DOM nodes and getters that throw all become readable placeholders.
 */
export function toJsonText(value: unknown): string {
  try {
    return JSON.stringify(toJsonSafe(value, 0, [])) ?? 'null';
  } catch {
    return '"[unserializable]"';
  }
}

/** A copy of `value` that `JSON.stringify` can always serialize. */
export function toJsonSafe(value: unknown, depth: number, ancestors: object[]): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    case 'undefined':
      return null;
    case 'function':
      return '[Function' + (value.name ? ' ' + value.name : '') + ']';
    case 'symbol':
      return value.toString();
  }
  if (value === null) return null;
  const object = value as Record<string, unknown>;
  if (ancestors.indexOf(object) >= 0) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Object]';
  try {
    if (typeof object.nodeType === 'number' && typeof object.nodeName === 'string') {
      return describeNode(object);
    }
    if (object instanceof Error) {
      return { name: object.name, message: object.message, stack: object.stack };
    }
    if (typeof object.toJSON === 'function') {
      return toJsonSafe(object.toJSON(), depth + 1, ancestors);
    }
  } catch {
    return '[Unreadable]';
  }
  ancestors.push(object);
  let copy: unknown;
  if (Array.isArray(object)) {
    copy = object.slice(0, MAX_KEYS).map((item) => toJsonSafe(item, depth + 1, ancestors));
  } else {
    const result: Record<string, unknown> = {};
    let keys: string[] = [];
    try {
      keys = Object.keys(object).slice(0, MAX_KEYS);
    } catch {}
    for (const key of keys) {
      let item: unknown;
      try {
        item = object[key];
      } catch (error) {
        item = '[Threw: ' + describeThrown(error) + ']';
      }
      result[key] = toJsonSafe(item, depth + 1, ancestors);
    }
    copy = result;
  }
  ancestors.pop();
  return copy;
}

function describeNode(node: Record<string, unknown>): string {
  const id = node.id ? '#' + String(node.id) : '';
  return '<' + String(node.nodeName).toLowerCase() + id + '>';
}

function describeThrown(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unreadable';
  }
}

/** A string for a caption, category or description: strings as they are, anything else readable. */
export function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value == null) return '';
  try {
    if (typeof value === 'object' && !(value instanceof Error)) return toJsonText(value);
    return String(value);
  } catch {
    return toJsonText(value);
  }
}
