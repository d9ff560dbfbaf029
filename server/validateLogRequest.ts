import type { LogRequest } from './types';

/** The outcome of `validateLogRequest`: the request with only contract fields, or what is wrong. */
export type LogRequestValidation =
  { ok: true; request: LogRequest } | { ok: false; problems: string[] };

// Reads a value at `path`, records what is wrong with it, and returns it with unknown
// properties removed. When a problem was recorded the returned value is never used.
type Check = (value: unknown, path: string, problems: string[]) => unknown;

const MAX_PROBLEMS = 20;
// Free-form values (parameters) are stored as JSON; deeper nesting than this is not a log message,
// and JSON.stringify would overflow the stack on a few hundred thousand levels.
const MAX_DEPTH = 32;
const INT32 = 2 ** 31;
// ISO 8601 with seconds and an offset, as .NET's DateTimeOffset reads it (at most 7 fraction digits).
const TIME_STAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,7})?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * Check a parsed log request body against the Loupe contract, the way the Loupe servers bind it:
 * camelCase names matched case-sensitively, numbers where they have numbers (never null), strings
 * where they have strings. Unknown properties are ignored and left out of the result; a property
 * that differs from a contract name only by case is reported, since the server would silently
 * lose it.
 */
export function validateLogRequest(body: unknown): LogRequestValidation {
  const problems: string[] = [];
  const request = logRequest(body, '', problems) as LogRequest;
  return problems.length ? { ok: false, problems } : { ok: true, request };
}

/** A short, safe picture of a value for an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  }
  return String(value);
}

function report(problems: string[], problem: string): void {
  if (problems.length < MAX_PROBLEMS) problems.push(problem);
}

const join = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

function rule(expectation: string, test: (value: unknown) => boolean): Check {
  return (value, path, problems) => {
    if (!test(value))
      report(problems, `${path} must be ${expectation}, got ${describeValue(value)}`);
    return value;
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isInt32 = (value: unknown) =>
  Number.isInteger(value) && (value as number) >= -INT32 && (value as number) < INT32;

const text = rule('a string', (value) => value === null || typeof value === 'string');
const int32 = rule('a 32-bit integer', isInt32);
const int32OrNull = rule('an integer or null', (value) => value === null || isInt32(value));
const severity = rule(
  'one of 1, 2, 4, 8, 16 (critical, error, warning, information, verbose)',
  (value) => value === 1 || value === 2 || value === 4 || value === 8 || value === 16,
);
const sequence = rule('an integer', (value) => Number.isSafeInteger(value));
const timeStamp = rule('an ISO 8601 date with offset', isTimeStamp);

const details: Check = (value, path, problems) => {
  if (value === null) return value;
  if (typeof value !== 'string') {
    report(problems, `${path} must be a string of JSON text, got ${describeValue(value)}`);
    return value;
  }
  try {
    JSON.parse(value);
  } catch {
    report(problems, `${path} must be a string of JSON text, got ${describeValue(value)}`);
  }
  return value;
};

const parameters: Check = (value, path, problems) => {
  if (value === null) return value;
  if (!Array.isArray(value)) {
    report(problems, `${path} must be an array, got ${describeValue(value)}`);
  } else if (!nestsWithin(value, MAX_DEPTH)) {
    report(problems, `${path} must not nest deeper than ${MAX_DEPTH} levels`);
  }
  return value;
};

function list(item: Check, nullable: boolean): Check {
  return (value, path, problems) => {
    if (nullable && value === null) return value;
    if (!Array.isArray(value)) {
      report(problems, `${path} must be an array, got ${describeValue(value)}`);
      return value;
    }
    const result: unknown[] = [];
    for (let index = 0; index < value.length && problems.length < MAX_PROBLEMS; index++) {
      result.push(item(value[index], join(path, index), problems));
    }
    return result;
  };
}

/**
 * An object with the given fields. `required` fields must be present; a field that is present
 * is checked even when it is null, so each field's check decides whether null is allowed.
 */
function shape(fields: Record<string, Check>, required: string[] = [], nullable = true): Check {
  const names = Object.keys(fields);
  const byLowerCase = new Map(names.map((name) => [name.toLowerCase(), name]));
  return (value, path, problems) => {
    if (nullable && value === null) return value;
    if (!isObject(value)) {
      report(problems, `${path || 'the body'} must be an object, got ${describeValue(value)}`);
      return value;
    }
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const name = byLowerCase.get(key.toLowerCase());
      if (name === undefined || name === key) continue;
      const hint = `property names are case-sensitive, so "${key}" is not "${name}"`;
      if (value[name] === undefined && required.includes(name)) {
        report(problems, `${join(path, name)} is required (${hint})`);
      } else {
        report(problems, `${join(path, key)} is not a contract property (${hint})`);
      }
    }
    for (const name of names) {
      const field = value[name];
      if (field === undefined) {
        const misspelt = Object.keys(value).some(
          (key) => key !== name && key.toLowerCase() === name.toLowerCase(),
        );
        if (required.includes(name) && !misspelt)
          report(problems, `${join(path, name)} is required`);
      } else {
        result[name] = (fields[name] as Check)(field, join(path, name), problems);
      }
    }
    return result;
  };
}

const exception = shape({
  message: text,
  url: text,
  stackTrace: list(text, true),
  cause: text,
  line: int32OrNull,
  column: int32OrNull,
});

const methodSourceInfo = shape({
  file: text,
  class: text,
  method: text,
  line: int32OrNull,
  column: int32OrNull,
});

const logMessage = shape(
  {
    severity,
    category: text,
    caption: text,
    description: text,
    parameters,
    details,
    exception,
    methodSourceInfo,
    timeStamp,
    sequence,
    sessionId: text,
    agentSessionId: text,
  },
  ['severity', 'timeStamp', 'sequence'],
  false,
);

const client = shape({
  description: text,
  layout: text,
  manufacturer: text,
  name: text,
  prerelease: text,
  product: text,
  ua: text,
  version: text,
  os: shape({ architecture: int32, family: text, version: text }),
  size: shape({ width: int32, height: int32 }),
});

const logRequest = shape(
  {
    session: shape({ currentAgentSessionId: text, client }),
    logMessages: list(logMessage, false),
  },
  ['logMessages'],
  false,
);

function isTimeStamp(value: unknown): boolean {
  const match = typeof value === 'string' ? TIME_STAMP.exec(value) : null;
  if (!match) return false;
  const [
    year = 0,
    month = 0,
    day = 0,
    hour = 0,
    minute = 0,
    second = 0,
    offsetHours = 0,
    offsetMinutes = 0,
  ] = match.slice(1).map((part) => Number(part ?? 0));
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return (
    year > 0 &&
    day >= 1 &&
    day <= days &&
    hour < 24 &&
    minute < 60 &&
    second < 60 &&
    offsetHours <= 14 &&
    offsetMinutes < 60
  );
}

function nestsWithin(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (depth === 0) return false;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    if (!nestsWithin(item, depth - 1)) return false;
  }
  return true;
}
