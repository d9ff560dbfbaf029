// The demo pages' behaviour. It uses the agent the way any app does: through window.loupe, which
// the drop-in script defined before this file ran.
const loupe = window.loupe;
const thirdParty = document.querySelector('meta[name="third-party-origin"]').content;
const SESSION_KEY = 'demo-session-id';
const onPage2 = document.body.dataset.page === '2';

// The app's own session id, chosen on page 1 and set again on every page, as an app does after
// sign-in.
const chosenSessionId = sessionStorage.getItem(SESSION_KEY);
if (chosenSessionId) loupe.setSessionId(chosenSessionId);

function readCookie(name) {
  const match = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
  return match ? decodeURIComponent(match[1]) : '';
}

// GUIDs (the cookie's session ids, agent session ids) by their first 8 characters; an id the app
// set itself in full.
function short(id) {
  if (!id) return 'none';
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
    ? id.slice(0, 8)
    : id;
}

function showIds() {
  const chosen = sessionStorage.getItem(SESSION_KEY);
  document.getElementById('session-id').textContent =
    chosen || readCookie('LoupeSessionId') || 'none yet';
  document.getElementById('session-source').textContent = chosen
    ? 'set by the app with loupe.setSessionId()'
    : 'from the LoupeSessionId cookie the server issued';
  document.getElementById('agent-session-id').textContent = loupe.clientSessionHeader().headerValue;
}

function report(title, detail, bad) {
  const item = document.createElement('li');
  const time = document.createElement('time');
  time.textContent = new Date().toLocaleTimeString([], { hour12: false });
  if (bad) item.className = 'bad';
  const text = document.createElement('span');
  const heading = document.createElement('span');
  heading.className = 'title';
  heading.textContent = title;
  const more = document.createElement('span');
  more.className = 'detail';
  more.textContent = detail || '';
  text.append(heading, more);
  item.append(time, text);
  document.getElementById('activity').prepend(item);
}

// Three ways an app calls a server. Each resolves with { status, body }.
const clients = {
  fetch: (url) =>
    fetch(url).then((response) =>
      response.json().then((body) => ({ status: response.status, body })),
    ),
  xhr: (url) =>
    new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open('GET', url);
      request.onload = () =>
        resolve({ status: request.status, body: JSON.parse(request.responseText || '{}') });
      request.onerror = () => reject(new Error('network error'));
      request.send();
    }),
  jquery: (url) =>
    new Promise((resolve, reject) => {
      window.jQuery
        .ajax({ url, dataType: 'json' })
        .done((body, _status, request) => resolve({ status: request.status, body }))
        .fail((request) =>
          request.status
            ? resolve({ status: request.status, body: request.responseJSON || {} })
            : reject(new Error('network error or blocked by CORS')),
        );
    }),
};

const clientNames = { fetch: 'fetch', xhr: 'XMLHttpRequest', jquery: 'jQuery.ajax' };

function call(client, url, where) {
  const title = `${clientNames[client]} → ${where}`;
  return clients[client](url).then(
    ({ status, body }) => {
      if (status >= 400) {
        report(`${title}: ${status}`, body.error, true);
        return;
      }
      report(
        `${title}: ${status}`,
        `the server received session ${short(body.receivedSessionId)}, ` +
          `agent session ${short(body.receivedAgentSessionId)}` +
          (body.quote ? ` · “${body.quote}”` : ''),
      );
    },
    (error) => report(`${title} failed`, error.message, true),
  );
}

// A real bug: the cart has no coupon.
function applyCoupon(cart) {
  return (cart.coupon.percent / 100) * cart.total;
}

function computeTotal() {
  return 42.5 - applyCoupon({ total: 42.5, items: 3 });
}

async function loadRecommendations() {
  throw new Error('The recommendations service timed out after 3000 ms');
}

const actions = {
  'app-fetch': () => call('fetch', '/api/greeting?via=fetch', 'this app'),
  'app-xhr': () => call('xhr', '/api/greeting?via=xhr', 'this app'),
  'app-jquery': () => call('jquery', '/api/greeting?via=jquery', 'this app'),
  'app-fail': () => call('fetch', '/api/fail?via=fetch', 'this app'),
  'third-fetch': () => call('fetch', thirdParty + '/quote?via=fetch', 'third party'),
  'third-xhr': () => call('xhr', thirdParty + '/quote?via=xhr', 'third party'),
  'third-jquery': () => call('jquery', thirdParty + '/quote?via=jquery', 'third party'),
  throw: () => {
    report('Threw a TypeError', 'uncaught: the agent captures it as an error', true);
    computeTotal();
  },
  reject: () => {
    report('Rejected a promise', 'nobody handles it: the agent captures the rejection', true);
    loadRecommendations();
  },
  record: () => {
    try {
      JSON.parse('{"items": [1, 2,');
    } catch (error) {
      loupe.recordException(error, { cart: 'saved-cart-v2', step: 'restore' }, 'Checkout');
      report('Recorded a caught exception', 'loupe.recordException(error, details, "Checkout")');
    }
  },
  log: () => {
    loupe.information(
      'Checkout',
      onPage2 ? 'Reviewed the order' : 'Checkout started',
      'The customer has {0} items worth {1}',
      [3, '42.50 EUR'],
      null,
      { cartId: 'C-1042', coupon: null },
      new loupe.MethodSourceInfo('demo.js', 'startCheckout', 138, 7),
    );
    report('Logged a message', 'loupe.information("Checkout", …)');
  },
  warn: () => {
    loupe.warning('Inventory', 'Low stock', 'Only {0} left of {1}', [2, 'Blue mug']);
    report('Logged a warning', 'loupe.warning("Inventory", "Low stock", …)');
  },
  'set-session': () => {
    const id = 'customer-' + Math.random().toString(36).slice(2, 8);
    sessionStorage.setItem(SESSION_KEY, id);
    loupe.setSessionId(id);
    loupe.information('Navigation', 'Leaving page 1', 'The app set the session id {0}', [id]);
    location.href = '/page-2';
  },
  'forget-session': () => {
    sessionStorage.removeItem(SESSION_KEY);
    loupe.setSessionId('');
    report('Forgot the session id', 'back to the cookie session');
    showIds();
  },
};

document.addEventListener('click', (event) => {
  const button = event.target.closest('[data-action]');
  const action = button && actions[button.dataset.action];
  if (!action) return;
  action();
  showIds();
});

const thirdPartyLabel = document.getElementById('third-party-origin');
if (thirdPartyLabel) thirdPartyLabel.textContent = thirdParty.replace('http://', '');
if (onPage2) {
  loupe.information(
    'Navigation',
    'Arrived on page 2',
    chosenSessionId ? 'The page set the session id {0}' : 'No session id was set by the app',
    chosenSessionId ? [chosenSessionId] : [],
  );
}
showIds();
