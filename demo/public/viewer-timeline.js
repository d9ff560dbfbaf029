// One row of the timeline: a message the browser logged, or a request a server answered.

import {
  clock,
  h,
  pretty,
  relativeTime,
  shortId,
  stripOrigin,
  valueText,
} from './viewer-helpers.js';

/** The tab key of what arrived without an agent session id. */
export const NONE = '-';
const SEVERITIES = {
  1: ['Critical', 'critical'],
  2: ['Error', 'error'],
  4: ['Warning', 'warning'],
  8: ['Info', 'information'],
  16: ['Verbose', 'verbose'],
};
const STACK_LINES = 5;
// Items whose details the reader opened or closed, so that live updates keep them that way.
const toggled = new Map();

export function tabKeyOf(item) {
  const id = item.kind === 'message' ? item.message.agentSessionId : item.request.agentSessionId;
  return id || NONE;
}

export function timelineItem(item, tabByKey) {
  const tab = tabByKey.get(tabKeyOf(item));
  const isMessage = item.kind === 'message';
  const record = isMessage ? item.message : item.request;
  const tone = isMessage ? SEVERITIES[record.severity][1] : requestTone(record.status);
  return h(
    'li',
    {
      class: `item ${item.kind} tone-${tone}`,
      data: {
        kind: item.kind,
        session: record.sessionId || '',
        agentSession: record.agentSessionId || '',
        url: isMessage ? null : record.url,
      },
    },
    h(
      'div',
      { class: 'when' },
      relativeTime(item.at),
      h('span', { class: 'clock' }, clock(item.at)),
    ),
    h(
      'div',
      { class: 'rail' },
      h('span', { class: 'marker', title: isMessage ? 'Client message' : 'Server request' }),
    ),
    h('div', { class: 'content' }, isMessage ? messageBody(item, tab) : requestBody(item, tab)),
  );
}

function tabChip(tab) {
  if (!tab || tab.key === NONE) return null;
  return h(
    'span',
    { class: 'chip tab-chip', colour: tab.colour, title: tab.id },
    h('span', { class: 'swatch' }),
    tab.label,
  );
}

function messageBody(item, tab) {
  const message = item.message;
  const [severity] = SEVERITIES[message.severity];
  return [
    h(
      'div',
      { class: 'line' },
      h('span', { class: 'pill severity' }, severity),
      message.category && h('span', { class: 'category' }, message.category),
      h('span', { class: 'caption' }, message.caption || '(no caption)'),
      h('span', { class: 'spacer' }),
      h('span', { class: 'origin-tag' }, 'browser'),
      tabChip(tab),
      h(
        'span',
        { class: 'seq', title: 'Sequence number in the agent session' },
        '#' + message.sequence,
      ),
    ),
    message.description &&
      message.description !== (message.exception && message.exception.message) &&
      h('p', { class: 'description' }, formatDescription(message.description, message.parameters)),
    message.exception && exceptionBlock(message.exception),
    message.methodSourceInfo && sourceLine(message.methodSourceInfo),
    message.details && detailsBlock(item, message.details),
  ];
}

function formatDescription(description, parameters) {
  if (!Array.isArray(parameters) || !parameters.length) return description;
  const parts = [];
  let last = 0;
  description.replace(/\{(\d+)\}/g, (match, index, offset) => {
    parts.push(description.slice(last, offset));
    parts.push(
      index < parameters.length
        ? h('mark', { class: 'param' }, valueText(parameters[index]))
        : match,
    );
    last = offset + match.length;
    return match;
  });
  parts.push(description.slice(last));
  return parts;
}

function exceptionBlock(exception) {
  const stack = (exception.stackTrace || []).map(stripOrigin);
  const where = [exception.url && stripOrigin(exception.url), exception.line, exception.column]
    .filter((part) => part !== null && part !== undefined && part !== '')
    .join(':');
  return h(
    'div',
    { class: 'exception' },
    h('div', { class: 'exception-message' }, exception.message || '(no message)'),
    where && !stack.length && h('div', { class: 'exception-where' }, 'at ', h('code', null, where)),
    stack.length > 0 &&
      h(
        'ol',
        { class: 'stack' },
        stack.slice(0, STACK_LINES).map((line) => h('li', null, line.trim())),
        stack.length > STACK_LINES &&
          h('li', { class: 'more' }, `… ${stack.length - STACK_LINES} more`),
      ),
    exception.cause && h('div', { class: 'cause' }, 'Caused by ', exception.cause),
  );
}

function sourceLine(source) {
  const method = source.method ? `${source.class ? source.class + '.' : ''}${source.method}()` : '';
  const position = [
    source.line != null && `line ${source.line}`,
    source.column != null && `column ${source.column}`,
  ]
    .filter(Boolean)
    .join(', ');
  return h(
    'div',
    { class: 'source' },
    h('span', { class: 'label' }, 'Source'),
    h('code', null, [source.file && stripOrigin(source.file), method].filter(Boolean).join(' · ')),
    position && h('span', { class: 'position' }, position),
  );
}

function detailsBlock(item, details) {
  const key = `${item.kind}:${item.id}`;
  const element = h(
    'details',
    { class: 'details', open: toggled.get(key) ? true : null },
    h('summary', null, 'Details'),
    h('pre', null, pretty(details)),
  );
  element.addEventListener('toggle', () => toggled.set(key, element.open));
  return element;
}

function requestTone(status) {
  if (status >= 500 || status === 0) return 'error';
  if (status >= 400) return 'warning';
  return 'ok';
}

function requestBody(item, tab) {
  const request = item.request;
  const thirdParty = request.server === 'third-party';
  const duration = request.durationMs < 1 ? '<1 ms' : `${Math.round(request.durationMs)} ms`;
  return [
    h(
      'div',
      { class: 'line' },
      h('span', { class: 'pill method' }, request.method),
      h('code', { class: 'url' }, request.url),
      h('span', { class: 'pill status' }, String(request.status)),
      h('span', { class: 'duration' }, duration),
      h('span', { class: 'spacer' }),
      h(
        'span',
        { class: `origin-tag${thirdParty ? ' third-party' : ''}` },
        thirdParty ? 'third-party API' : 'app server',
      ),
      tabChip(tab),
    ),
    h(
      'div',
      { class: 'ids' },
      idChip('session', request.sessionId),
      idChip('agent session', request.agentSessionId),
      request.origin &&
        h('span', { class: 'from' }, 'called from ', h('code', null, request.origin)),
    ),
  ];
}

function idChip(name, id) {
  return id
    ? h('span', { class: 'id-chip', title: id }, name + ' ', h('code', null, shortId(id)))
    : h('span', { class: 'id-chip missing' }, 'no ' + name + ' id');
}
