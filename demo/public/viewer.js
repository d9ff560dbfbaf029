// The live session viewer: sessions, their tabs (agent sessions), and a timeline of what the
// browser logged and what the servers answered, correlated by those ids. Everything is built with
// DOM calls and text nodes, never markup: the data comes from browsers.

import { ago, describeClient, h, plural, relativeTime, shortId } from './viewer-helpers.js';
import { NONE, tabKeyOf, timelineItem } from './viewer-timeline.js';

const TAB_COLOURS = ['#2f6fe4', '#d6457a', '#11986f', '#c67600', '#7b4fe0', '#0b8bb0'];
const ALL = '*';

const state = {
  about: undefined,
  sessions: [],
  /** The selected session's id; '' for the uncorrelated items; undefined before the first load. */
  selected: undefined,
  /** Whether the reader chose the session (a click, or the address); if not, the viewer picks. */
  chosen: false,
  /** ALL, NONE (server requests without an agent session) or an agent session id. */
  tab: ALL,
  items: [],
};

// ---------------------------------------------------------------------------------------------
// Data

async function getJson(url) {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

function sessionKey(session) {
  return session.id === null ? '' : session.id;
}

// A session is found by any of its ids: one the app set with setSessionId() joins the session
// its tab was in before.
function selectedSession() {
  return state.sessions.find(
    (session) => sessionKey(session) === state.selected || session.ids.includes(state.selected),
  );
}

// The id a session goes by now: the last one it was seen with.
function currentId(session) {
  return session.ids[session.ids.length - 1];
}

// Tabs of a session in the order they appeared; the one without an agent session id last.
function tabsOf(session) {
  const tabs = session.agentSessions.filter((tab) => tab.id !== null);
  const serverOnly = session.agentSessions.find((tab) => tab.id === null);
  return tabs
    .map((tab, index) => ({
      ...tab,
      key: tab.id,
      label: `Tab ${index + 1}`,
      colour: TAB_COLOURS[index % TAB_COLOURS.length],
    }))
    .concat(
      serverOnly
        ? [{ ...serverOnly, key: NONE, label: 'No agent session', colour: '#8a93a3' }]
        : [],
    );
}

let loading;
let reloadAfter = false;

async function refresh() {
  if (loading) {
    reloadAfter = true;
    return loading;
  }
  loading = (async () => {
    try {
      const { about, sessions } = await getJson('/viewer/api/sessions');
      state.about = about;
      // Newest activity first; what arrived without any session id at the end.
      state.sessions = sessions
        .filter((session) => session.id !== null)
        .concat(sessions.filter((session) => session.id === null));
      const found = selectedSession();
      if (found) state.selected = sessionKey(found);
      // Until the reader chooses, show the newest session; the uncorrelated items only while
      // nothing else has arrived (they are listed last).
      if (!found || (!state.chosen && state.selected === '' && state.sessions[0].id !== null)) {
        state.selected = state.sessions.length ? sessionKey(state.sessions[0]) : undefined;
        state.tab = ALL;
      }
      state.items =
        state.selected === undefined
          ? []
          : (await getJson('/viewer/api/timeline?session=' + encodeURIComponent(state.selected)))
              .items;
      render();
    } catch (error) {
      setLive('offline', 'Server unreachable');
      console.warn('The viewer could not load the sessions:', error);
    }
  })();
  await loading;
  loading = undefined;
  if (reloadAfter) {
    reloadAfter = false;
    return refresh();
  }
}

function select(key, tab = ALL) {
  state.chosen = true;
  state.tab = tab;
  const hash = new URLSearchParams({ session: key });
  if (tab !== ALL) hash.set('tab', tab);
  history.replaceState(null, '', '#' + hash);
  const sameSession = key === state.selected;
  state.selected = key;
  if (sameSession) render();
  else refresh();
}

function readHash() {
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.has('session')) {
    state.chosen = true;
    state.selected = hash.get('session');
    state.tab = hash.get('tab') || ALL;
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering

function render() {
  renderHeader();
  renderSessions();
  renderSession();
}

function renderHeader() {
  if (!state.about) return;
  document.getElementById('endpoint').textContent = 'POST ' + state.about.logEndpoint;
  document.getElementById('demo-link').href = state.about.demoUrl;
}

function renderSessions() {
  const correlated = state.sessions.filter((session) => session.id !== null).length;
  document.getElementById('session-count').textContent = correlated ? String(correlated) : '';
  const list = document.getElementById('sessions');
  if (!state.sessions.length) {
    list.replaceChildren(
      h(
        'li',
        { class: 'empty' },
        'No sessions yet. Open the ',
        h('a', { href: state.about ? state.about.demoUrl : '/', target: 'loupe-demo' }, 'demo app'),
        ' and click a few buttons: they appear here as they happen.',
      ),
    );
    return;
  }
  list.replaceChildren(...state.sessions.map(sessionItem));
}

function sessionItem(session) {
  const key = sessionKey(session);
  const selected = key === state.selected;
  const tabs = session.agentSessions.filter((tab) => tab.id !== null).length;
  const open = () => select(key);
  return h(
    'li',
    {
      class: `session-item${selected ? ' selected' : ''}${session.id === null ? ' uncorrelated' : ''}`,
      data: { session: key },
      tabindex: 0,
      role: 'button',
      'aria-current': selected ? 'true' : null,
      onclick: open,
      onkeydown: (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          open();
        }
      },
    },
    h(
      'div',
      { class: 'session-head' },
      session.id === null
        ? h('span', { class: 'session-name' }, 'Uncorrelated')
        : h(
            'span',
            { class: 'session-name mono', title: session.ids.join('\n') },
            shortId(currentId(session)),
          ),
      relativeTime(session.lastSeen),
    ),
    h(
      'div',
      { class: 'session-stats' },
      session.id !== null && h('span', null, plural(tabs, 'tab')),
      h('span', null, plural(session.messages, 'message')),
      h('span', null, plural(session.requests, 'request')),
      session.errors > 0 && h('span', { class: 'badge error' }, plural(session.errors, 'error')),
    ),
    session.id === null && h('div', { class: 'session-note' }, 'Arrived without a session id'),
    session.ids.length > 1 &&
      h(
        'div',
        { class: 'session-note' },
        'earlier ',
        session.ids.slice(0, -1).map(shortId).join(', '),
      ),
  );
}

function renderSession() {
  const main = document.getElementById('session');
  const session = selectedSession();
  if (!session) {
    main.replaceChildren(
      h(
        'div',
        { class: 'placeholder' },
        h('h2', null, 'Waiting for the first session'),
        h(
          'p',
          null,
          'Messages from the agent and the requests your servers answer show up here live.',
        ),
      ),
    );
    return;
  }
  const tabs = tabsOf(session);
  const tabByKey = new Map(tabs.map((tab) => [tab.key, tab]));
  if (state.tab !== ALL && !tabByKey.has(state.tab)) state.tab = ALL;
  const items = state.items.filter((item) => state.tab === ALL || tabKeyOf(item) === state.tab);
  const scroller = main.querySelector('.timeline-scroll');
  const scrollTop = scroller ? scroller.scrollTop : 0;

  main.replaceChildren(
    sessionHeader(session),
    h(
      'nav',
      { class: 'tabs', 'aria-label': 'Agent sessions' },
      tabButton({
        key: ALL,
        label: 'All activity',
        messages: session.messages,
        requests: session.requests,
      }),
      tabs.map(tabButton),
    ),
    h(
      'div',
      { class: 'timeline-scroll' },
      session.id === null &&
        h(
          'p',
          { class: 'note' },
          'These requests carried no session id and no agent session id. The agent sends its headers only to ' +
            'its own origin and to origins the app allows, so calls to third-party APIs stay uncorrelated.',
        ),
      items.length
        ? h(
            'ol',
            { class: 'timeline' },
            items.map((item) => timelineItem(item, tabByKey)),
          )
        : h('p', { class: 'empty' }, 'Nothing here yet.'),
    ),
  );
  main.querySelector('.timeline-scroll').scrollTop = scrollTop;
}

function sessionHeader(session) {
  return h(
    'header',
    { class: 'session-header' },
    h(
      'div',
      { class: 'session-title' },
      h('h1', null, session.id === null ? 'Uncorrelated requests' : 'Session'),
      session.id !== null && h('code', { class: 'session-id' }, currentId(session)),
    ),
    session.ids.length > 1 &&
      h(
        'p',
        { class: 'session-earlier' },
        'Earlier ids of the same tabs (before setSessionId()): ',
        session.ids
          .slice(0, -1)
          .map((id, index) => [index ? ', ' : '', h('code', { class: 'session-id' }, id)]),
      ),
    h(
      'div',
      { class: 'session-meta' },
      relativeTime(session.firstSeen, 'started '),
      h('span', { class: 'sep' }, '·'),
      relativeTime(session.lastSeen, 'last activity '),
      h('span', { class: 'sep' }, '·'),
      h('span', null, plural(session.messages, 'message')),
      h('span', { class: 'sep' }, '·'),
      h('span', null, plural(session.requests, 'request')),
      session.errors > 0 && h('span', { class: 'badge error' }, plural(session.errors, 'error')),
    ),
  );
}

function tabButton(tab) {
  const active = tab.key === state.tab;
  return h(
    'button',
    {
      class: `tab${active ? ' active' : ''}`,
      data: { tab: tab.key },
      'aria-pressed': active ? 'true' : 'false',
      colour: tab.colour,
      onclick: () => select(state.selected, tab.key),
    },
    h(
      'span',
      { class: 'tab-name' },
      tab.colour && h('span', { class: 'swatch' }),
      tab.label,
      tab.id && h('code', { class: 'tab-id' }, shortId(tab.id)),
    ),
    h(
      'span',
      { class: 'tab-meta' },
      tab.key === NONE
        ? 'server requests without one'
        : [
            describeClient(tab.client),
            plural(tab.messages, 'message') + ', ' + plural(tab.requests, 'request'),
          ]
            .filter(Boolean)
            .join(' · '),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Live updates

function setLive(status, text) {
  const live = document.getElementById('live');
  live.dataset.state = status;
  live.textContent = text;
}

let pending;
function refreshSoon() {
  clearTimeout(pending);
  pending = setTimeout(refresh, 120);
}

function connect() {
  const events = new EventSource('/viewer/events');
  events.onopen = () => setLive('live', 'Live');
  events.onmessage = refreshSoon;
  events.onerror = () => setLive('offline', 'Reconnecting…');
}

setInterval(() => {
  for (const time of document.querySelectorAll('time.ago')) {
    time.textContent = time.dataset.prefix + ago(Number(time.dataset.at));
  }
}, 5000);

readHash();
refresh();
connect();
