// A strict reading of a log request body, the way the server's case-sensitive JSON binding reads
// it: exact camelCase names, numbers where it has numbers, no null where a value is required.
// Returns the list of problems (empty when the body binds).

type Json = Record<string, unknown>;

const MESSAGE_KEYS = [
  'severity',
  'category',
  'caption',
  'description',
  'parameters',
  'details',
  'exception',
  'methodSourceInfo',
  'timeStamp',
  'sequence',
  'sessionId',
  'agentSessionId',
];
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?([+-]\d{2}:\d{2}|Z)$/;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function contractProblems(bodyText: string): string[] {
  const problems: string[] = [];
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return ['body is not JSON'];
  }
  if (!isObject(body)) return ['body is not an object'];
  for (const key of Object.keys(body)) {
    if (!['session', 'logMessages'].includes(key)) problems.push(`unknown top-level key ${key}`);
  }
  const session = body.session;
  if (session !== undefined) {
    if (!isObject(session)) problems.push('session is not an object');
    else {
      if (typeof session.currentAgentSessionId !== 'string')
        problems.push('session.currentAgentSessionId');
      const client = session.client;
      if (client !== undefined) {
        if (!isObject(client)) problems.push('session.client');
        else {
          for (const [key, value] of Object.entries(client)) {
            if (key === 'size') {
              if (
                !isObject(value) ||
                !Number.isInteger(value.width) ||
                !Number.isInteger(value.height)
              ) {
                problems.push('session.client.size needs integer width and height');
              }
            } else if (key === 'os') {
              if (!isObject(value) || !Number.isInteger(value.architecture))
                problems.push('session.client.os');
            } else if (typeof value !== 'string')
              problems.push(`session.client.${key} is not a string`);
          }
        }
      }
    }
  }
  if (!Array.isArray(body.logMessages)) return [...problems, 'logMessages is not an array'];
  body.logMessages.forEach((message: unknown, index) => {
    const at = `logMessages[${index}]`;
    if (!isObject(message)) return problems.push(`${at} is not an object`);
    for (const key of Object.keys(message)) {
      if (!MESSAGE_KEYS.includes(key)) problems.push(`${at} has unknown key ${key}`);
    }
    if (![1, 2, 4, 8, 16].includes(message.severity as number)) problems.push(`${at}.severity`);
    for (const key of ['category', 'caption', 'description']) {
      if (typeof message[key] !== 'string') problems.push(`${at}.${key} is not a string`);
    }
    if (typeof message.timeStamp !== 'string' || !ISO_WITH_OFFSET.test(message.timeStamp)) {
      problems.push(`${at}.timeStamp is not ISO 8601 with offset`);
    }
    if (!Number.isInteger(message.sequence)) problems.push(`${at}.sequence is not an integer`);
    for (const key of ['sessionId', 'agentSessionId']) {
      if (message[key] !== undefined && typeof message[key] !== 'string')
        problems.push(`${at}.${key}`);
    }
    if (message.parameters !== undefined && !Array.isArray(message.parameters))
      problems.push(`${at}.parameters`);
    if (message.details !== undefined) {
      if (typeof message.details !== 'string') problems.push(`${at}.details is not a string`);
      else {
        try {
          JSON.parse(message.details);
        } catch {
          problems.push(`${at}.details is not JSON text`);
        }
      }
    }
    const exception = message.exception;
    if (exception !== undefined) {
      if (!isObject(exception)) problems.push(`${at}.exception`);
      else {
        for (const key of ['message', 'url', 'cause']) {
          if (typeof exception[key] !== 'string') problems.push(`${at}.exception.${key}`);
        }
        if (
          !Array.isArray(exception.stackTrace) ||
          exception.stackTrace.some((line) => typeof line !== 'string')
        ) {
          problems.push(`${at}.exception.stackTrace`);
        }
        for (const key of ['line', 'column']) {
          if (exception[key] !== null && !Number.isInteger(exception[key]))
            problems.push(`${at}.exception.${key}`);
        }
      }
    }
    const source = message.methodSourceInfo;
    if (source !== undefined) {
      if (!isObject(source)) problems.push(`${at}.methodSourceInfo`);
      else {
        for (const key of ['file', 'class', 'method']) {
          if (source[key] !== undefined && typeof source[key] !== 'string')
            problems.push(`${at}.methodSourceInfo.${key}`);
        }
        for (const key of ['line', 'column']) {
          if (source[key] !== undefined && source[key] !== null && !Number.isInteger(source[key])) {
            problems.push(`${at}.methodSourceInfo.${key}`);
          }
        }
      }
    }
  });
  return problems;
}
