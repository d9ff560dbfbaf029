import { describe, expect, it } from 'vitest';
import { type PolicyContext, createOriginPolicy } from '../../src/instrument/originPolicy';
import type { PropagateTo } from '../../src/types';

const PAGE = 'https://app.example.com';

/** What the policy reads of the agent: plain data, no DOM. */
function policyContext(
  propagateTo: PropagateTo | undefined,
  base: () => string,
  logOrigin: () => string,
  explicitSessionId = () => '',
): PolicyContext {
  return {
    scope: {
      location: { origin: PAGE },
      document: {
        get baseURI() {
          return base();
        },
      },
    } as unknown as PolicyContext['scope'],
    options: { propagateTo },
    logOrigin,
    // As the agent gives them: LoupeSessionId only once a session id was set.
    correlationHeaders: () =>
      explicitSessionId()
        ? [
            ['loupe-agent-sessionId', 'agent-1'],
            ['LoupeSessionId', explicitSessionId()],
          ]
        : [['loupe-agent-sessionId', 'agent-1']],
  };
}

function policy(propagateTo?: PropagateTo, { base = PAGE + '/shop/cart', logOrigin = PAGE } = {}) {
  const plan = createOriginPolicy(
    policyContext(
      propagateTo,
      () => base,
      () => logOrigin,
    ),
  );
  /** The headers for a request to `url` from a page whose base URL is `base`. */
  const decide = (url: string, given?: unknown[]) => plan(url, base, given);
  return {
    decide,
    /** Whether a request to `url` carries the headers. */
    propagates: (url: string) => !!decide(url)?.length,
  };
}

describe('the origin policy', () => {
  it('sends the headers to relative and absolute same-origin URLs', () => {
    const { propagates } = policy();
    for (const url of [
      '/api/orders',
      '/',
      'api/orders',
      './api/orders?x=1',
      '../api',
      '?page=2',
      '',
      PAGE + '/api',
      PAGE + ':443/api',
      'HTTPS://APP.EXAMPLE.COM/api',
    ])
      expect(propagates(url), url).toBe(true);
  });

  it('resolves relative URLs against the base URL', () => {
    const { propagates } = policy(undefined, { base: PAGE + '/shop/cart' });
    expect(propagates('/api/orders?id=1')).toBe(true);
    expect(propagates('items')).toBe(true);
    expect(propagates(PAGE + '/x')).toBe(true);
  });

  it('follows a base URL on another origin', () => {
    const { propagates } = policy(undefined, { base: 'https://cdn.example.net/app/' });
    expect(propagates('/api')).toBe(false);
    expect(propagates('api')).toBe(false);
    expect(propagates(PAGE + '/api')).toBe(true);
  });

  it('treats protocol-relative URLs and their disguises as other origins', () => {
    const { propagates } = policy();
    for (const url of [
      '//other.example.com/api',
      '/\\other.example.com/api',
      '/\t/other.example.com/api',
      '/\n/other.example.com/api',
      '\\\\other.example.com/api',
    ])
      expect(propagates(url), JSON.stringify(url)).toBe(false);
    expect(propagates('//app.example.com/api')).toBe(true);
  });

  it('does not send the headers to another port, scheme or host', () => {
    const { propagates } = policy();
    for (const url of [
      'https://app.example.com:8443/api',
      'http://app.example.com/api',
      'https://api.example.com/api',
      'https://app.example.com.evil.test/api',
      'https://evil.test/https://app.example.com/',
      'data:text/plain,hi',
    ])
      expect(propagates(url), url).toBe(false);
  });

  it('sends the headers to the log server origin', () => {
    const { propagates } = policy(undefined, { logOrigin: 'https://logs.example.com' });
    expect(propagates('https://logs.example.com/api/anything')).toBe(true);
    expect(propagates('https://logs.example.com:444/api')).toBe(false);
  });

  it('leaves Loupe log requests alone, on any origin', () => {
    const { decide } = policy(undefined, { logOrigin: 'https://logs.example.com' });
    expect(decide('/loupe/log')).toBeUndefined();
    expect(decide(PAGE + '/loupe/log')).toBeUndefined();
    expect(decide('https://logs.example.com/loupe/log')).toBeUndefined();
    expect(decide('https://logs.example.com/base/loupe/log?x=1')).toBeUndefined();
    expect(decide('/loupe/logs')).toBeDefined();
    expect(decide('/loupe/log/x')).toBeDefined();
  });

  it('leaves URLs that do not parse alone', () => {
    expect(policy().decide('http://[bad')).toBeUndefined();
  });

  it('adds the origins named by strings, whatever their path or default port', () => {
    const { propagates } = policy([
      'https://api.example.com',
      'https://eu.example.com:443/v1/',
      'not an origin',
    ]);
    expect(propagates('https://api.example.com/orders')).toBe(true);
    expect(propagates('https://eu.example.com/other/path')).toBe(true);
    expect(propagates('https://api.example.com:8443/orders')).toBe(false);
    expect(propagates('http://api.example.com/orders')).toBe(false);
    expect(propagates('https://us.example.com/orders')).toBe(false);
    expect(propagates('/same-origin')).toBe(true);
  });

  it('accepts a single string or RegExp', () => {
    expect(policy('https://api.example.com').propagates('https://api.example.com/x')).toBe(true);
    expect(policy(/^https:\/\/api\./).propagates('https://api.example.com/x')).toBe(true);
  });

  it('tests RegExps against the origin only, ignoring their lastIndex', () => {
    const { propagates } = policy([/\.example\.org$/, /^https:\/\/api\d\./g]);
    expect(propagates('https://data.example.org/x')).toBe(true);
    expect(propagates('https://data.example.org.evil.test/x')).toBe(false);
    // The path is not part of what the RegExp sees.
    expect(propagates('https://evil.test/.example.org')).toBe(false);
    for (let i = 0; i < 3; i++) expect(propagates('https://api1.example.net/x')).toBe(true);
  });

  it('lets a function decide alone, same-origin URLs included', () => {
    const seen: string[] = [];
    const { propagates } = policy((url) => {
      seen.push(url.href);
      return url.origin === PAGE
        ? !url.pathname.startsWith('/sso/')
        : url.hostname === 'api.example.com';
    });
    expect(propagates('/api')).toBe(true);
    expect(propagates('/sso/start')).toBe(false);
    expect(propagates('https://api.example.com/x')).toBe(true);
    expect(propagates('https://other.example.com/x')).toBe(false);
    expect(seen).toEqual([
      PAGE + '/api',
      PAGE + '/sso/start',
      'https://api.example.com/x',
      'https://other.example.com/x',
    ]);
  });

  it('sends no headers when the function throws', () => {
    const { decide } = policy(() => {
      throw new Error('app bug');
    });
    expect(decide('/api')).toEqual([]);
  });

  it('leaves out the headers the app set, in any letter case', () => {
    const plan = createOriginPolicy(
      policyContext(
        undefined,
        () => PAGE + '/',
        () => PAGE,
        () => 'explicit-1',
      ),
    );
    const decide = (url: string, given?: unknown[]) => plan(url, PAGE + '/', given);
    expect(decide('/x', ['LOUPE-AGENT-SESSIONID'])).toEqual([['LoupeSessionId', 'explicit-1']]);
    expect(decide('/x', ['X-App', 'loupesessionid'])).toEqual([
      ['loupe-agent-sessionId', 'agent-1'],
    ]);
    expect(decide('/x', ['X-App'])).toEqual([
      ['loupe-agent-sessionId', 'agent-1'],
      ['LoupeSessionId', 'explicit-1'],
    ]);
    expect(decide('https://other.example.com/x', [])).toEqual([]);
  });

  it('with propagate false, sends no headers and asks no function, yet knows log requests', () => {
    const seen: string[] = [];
    const plan = createOriginPolicy({
      ...policyContext(
        undefined,
        () => PAGE + '/',
        () => PAGE,
      ),
      options: { propagate: false, propagateTo: (url) => !!seen.push(url.href) },
    });
    expect(plan('/api', PAGE + '/')).toEqual([]);
    expect(plan('https://api.example.com/x', PAGE + '/')).toEqual([]);
    expect(plan('/loupe/log', PAGE + '/')).toBeUndefined();
    expect(seen).toEqual([]);
  });

  it('reads the headers and the log origin when a request starts', () => {
    let explicitSessionId = '';
    let logOrigin = PAGE;
    const plan = createOriginPolicy(
      policyContext(
        undefined,
        () => PAGE + '/',
        () => logOrigin,
        () => explicitSessionId,
      ),
    );
    const decide = (url: string) => plan(url, PAGE + '/');
    explicitSessionId = 'explicit-1';
    logOrigin = 'https://logs.example.com';
    const headers = [
      ['loupe-agent-sessionId', 'agent-1'],
      ['LoupeSessionId', 'explicit-1'],
    ];
    expect(decide('/x')).toEqual(headers);
    expect(decide('https://logs.example.com/x')).toEqual(headers);
  });
});

describe('the origin policy without URL parsing', () => {
  // The policy skips `new URL()` for the URL forms whose origin is plain to see. Whatever the
  // form, its answers must be those of a full parse.
  const LOG = 'https://logs.example.com';
  const reference = (url: string, base: string) => {
    let parsed: URL;
    try {
      parsed = new URL(url, base);
    } catch {
      return undefined;
    }
    if (/\/loupe\/log(?:[?#]|$)/.test(parsed.href)) return undefined;
    return { propagates: parsed.origin === PAGE || parsed.origin === LOG };
  };
  const hosts = [
    'app.example.com',
    'APP.example.com',
    'app.example.com.',
    'app.example.com:443',
    'app.example.com:8443',
    'logs.example.com',
    'api.example.com',
    'evil.test',
    'user@app.example.com',
    'app.example.com@evil.test',
    'evil.test\\@app.example.com',
    'evil.test\t.app.example.com',
    '127.0.0.1',
    '0x7f.1',
    '2130706433',
    'xn--bcher-kva.example',
    'bücher.example',
    'a..b',
    '-x.test',
    'x_y.test',
    '[::1]',
  ];
  const urls = [
    '',
    '/',
    '/api/orders?id=1#x',
    'api/orders',
    './api',
    '../../api',
    '?page=2',
    '#top',
    'loupe/log',
    '/loupe/log?x',
    'api?time=12:00',
    'javascript',
    ' /api',
    ' //evil.test/api',
    '\t//evil.test/api',
    '\n//evil.test/api',
    '\u0000//evil.test/api',
    '//evil.test/api',
    '//app.example.com/api',
    '/\\evil.test/api',
    '\\\\evil.test/api',
    '/\t/evil.test/api',
    'ht\ttp://evil.test/',
    'https:evil.test/api',
    'https:/evil.test/api',
    'data:text/plain,hi',
    'blob:https://app.example.com/1',
    'mailto:x@app.example.com',
    'http://[bad',
    ...hosts.flatMap((host) => [
      'https://' + host,
      'https://' + host + '/api/x?y=1',
      'http://' + host + '/',
      'https://' + host + '?q',
      'https://' + host + '#f',
      'https://' + host + '/loupe/log',
      'HTTPS://' + host + '/api',
      'wss://' + host + '/socket',
    ]),
  ];

  for (const base of [PAGE + '/shop/cart', PAGE + '/', 'https://cdn.example.net/app/']) {
    it(`answers as a full parse would, with the base URL ${base}`, () => {
      const { decide } = policy(undefined, { base, logOrigin: LOG });
      for (const url of urls) {
        const plan = decide(url);
        const expected = reference(url, base);
        expect(plan && { propagates: plan.length > 0 }, url).toEqual(expected);
      }
    });
  }
});
