import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { launchChromium as launchChromiumBrowser } from '../../scripts/launch-chromium.mjs';

// One small launcher for Chromium, Firefox and WebKit, so that a test runs unchanged on all
// three. Each engine is the Debian package's own browser, driven without downloading anything:
// Chromium by playwright-core, Firefox by puppeteer-core over WebDriver BiDi, WebKit (WebKitGTK's
// MiniBrowser) by selenium-webdriver through WebKitWebDriver, under Xvfb when there is no display.

export type EngineName = 'chromium' | 'firefox' | 'webkit';

/** A page in a fresh profile: its own cookies, localStorage and sessionStorage. */
export interface EnginePage {
  /**
   * Run `script` in the page with `arg` (JSON) and return its JSON result, awaited when it is a
   * promise. The function is sent as source: it cannot use anything from the test's scope.
   */
  evaluate<T, A = undefined>(script: (arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  /** Navigate to `url` and wait for its load event. */
  goto(url: string): Promise<void>;
  /** Reload and wait for the load event. */
  reload(): Promise<void>;
  /**
   * Go back in history, as the back button does, without waiting: a page restored from the
   * back/forward cache fires no load event. Wait for what the page does then.
   */
  back(): Promise<void>;
  close(): Promise<void>;
}

export interface Engine {
  name: EngineName;
  /** The browser and its version, as the driver reports them. */
  version: string;
  open(url: string): Promise<EnginePage>;
  close(): Promise<void>;
}

/** Where each engine is looked for; the environment variables point elsewhere. */
function executables(name: EngineName): string[] {
  if (name == 'chromium') return [process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'];
  if (name == 'firefox') return [process.env.FIREFOX_PATH ?? '/usr/bin/firefox'];
  return [process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver', miniBrowser()];
}

function miniBrowser(): string {
  if (process.env.MINIBROWSER_PATH) return process.env.MINIBROWSER_PATH;
  try {
    for (const entry of readdirSync('/usr/lib')) {
      const path = join('/usr/lib', entry, 'webkit2gtk-4.1', 'MiniBrowser');
      if (existsSync(path)) return path;
    }
  } catch {}
  return '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
}

/** The Debian packages that bring each engine. */
export const ENGINE_PACKAGES: Record<EngineName, string> = {
  chromium: 'chromium',
  firefox: 'firefox-esr',
  webkit: 'webkit2gtk-driver xvfb xauth',
};

const ALL: EngineName[] = ['chromium', 'firefox', 'webkit'];

/** Whether an engine can run here: its browser and driver, and a display or Xvfb for WebKit. */
export function isInstalled(name: EngineName): boolean {
  return (
    executables(name).every((path) => existsSync(path)) &&
    (name != 'webkit' || !!process.env.DISPLAY || existsSync('/usr/bin/Xvfb'))
  );
}

/**
 * The engines the cross-engine tests run on. In CI every engine must be there; elsewhere the
 * tests run on those installed, and `missing` says which are not.
 */
export function enginesToRun(): { engines: EngineName[]; missing: EngineName[] } {
  const missing = ALL.filter((name) => !isInstalled(name));
  if (process.env.CI && process.env.CI != 'false') return { engines: ALL, missing };
  return { engines: ALL.filter((name) => !missing.includes(name)), missing };
}

/** How to install a missing engine, in one line. */
export const installHint = (name: EngineName) =>
  `${name} is not installed: the cross-engine tests run without it. ` +
  `Install it with: apt-get install -y --no-install-recommends ${ENGINE_PACKAGES[name]}`;

export function launchEngine(name: EngineName): Promise<Engine> {
  if (!isInstalled(name))
    throw new Error(
      `${name} is missing (${executables(name).join(', ')}). Install it with: ` +
        `apt-get install -y --no-install-recommends ${ENGINE_PACKAGES[name]}`,
    );
  return name == 'chromium'
    ? launchChromium()
    : name == 'firefox'
      ? launchFirefox()
      : launchWebKit();
}

async function launchChromium(): Promise<Engine> {
  // Playwright turns the back/forward cache off by default; these tests want it as users have it.
  const browser = await launchChromiumBrowser([], {
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
  });
  return {
    name: 'chromium',
    version: 'Chromium ' + browser.version(),
    async open(url) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(url);
      return {
        evaluate: (script, arg) => page.evaluate(script as any, arg),
        goto: async (to) => void (await page.goto(to)),
        reload: async () => void (await page.reload()),
        back: async () => void (await page.evaluate(() => setTimeout(() => history.back()))),
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}

async function launchFirefox(): Promise<Engine> {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: executables('firefox')[0],
    headless: true,
    // Nothing but the test servers: no update, telemetry, captive-portal or prefetch traffic.
    extraPrefsFirefox: {
      'app.update.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      'network.dns.disablePrefetch': true,
      'network.prefetch-next': false,
      'toolkit.telemetry.enabled': false,
    },
  });
  const [product = 'firefox', number = ''] = (await browser.version()).split('/');
  return {
    name: 'firefox',
    version: product.replace(/^f/, 'F') + ' ' + number,
    async open(url) {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      await page.goto(url);
      return {
        evaluate: (script, arg) => page.evaluate(script as any, arg) as any,
        goto: async (to) => void (await page.goto(to)),
        reload: async () => void (await page.reload()),
        back: async () => void (await page.evaluate(() => setTimeout(() => history.back()))),
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer()
      .on('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
  });

/** Start Xvfb on a display it picks itself; resolves with its process and display name. */
function startXvfb(): Promise<{ process: ChildProcess; display: string }> {
  return new Promise((resolve, reject) => {
    const xvfb = spawn(
      'Xvfb',
      ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'],
      { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] },
    );
    let errors = '';
    xvfb.stderr!.on('data', (chunk) => (errors += chunk));
    xvfb.on('error', reject);
    xvfb.on('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${errors.trim()}`)));
    (xvfb.stdio[3] as NodeJS.ReadableStream).once('data', (chunk) =>
      resolve({ process: xvfb, display: ':' + String(chunk).trim() }),
    );
  });
}

/** Resolves once the WebDriver server answers its status request. */
async function driverReady(port: number, driver: ChildProcess): Promise<void> {
  let exited = false;
  driver.once('exit', () => (exited = true));
  for (let attempt = 0; attempt < 200 && !exited; attempt++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/status`);
      if (response.ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('WebKitWebDriver did not start');
}

async function launchWebKit(): Promise<Engine> {
  const { Builder } = await import('selenium-webdriver');
  const [driverPath, binary] = executables('webkit') as [string, string];
  const children: ChildProcess[] = [];
  const stop = () => {
    for (const child of children.reverse()) if (child.exitCode === null) child.kill();
  };
  try {
    let display = process.env.DISPLAY;
    if (!display) {
      const xvfb = await startXvfb();
      children.push(xvfb.process);
      display = xvfb.display;
    }
    const port = await freePort();
    const driver = spawn(driverPath, [`--port=${port}`, '--host=127.0.0.1'], {
      stdio: 'ignore',
      env: { ...process.env, DISPLAY: display },
    });
    children.push(driver);
    await driverReady(port, driver);
    // One browser per page: a session is a fresh MiniBrowser with a profile of its own.
    const session = () =>
      new Builder()
        .usingServer(`http://127.0.0.1:${port}`)
        .withCapabilities({
          browserName: 'MiniBrowser',
          'webkitgtk:browserOptions': { binary, args: ['--automation'] },
        })
        .build();
    const first = await session();
    const version = 'WebKitGTK ' + (await first.getCapabilities()).get('browserVersion');
    await first.quit();
    return {
      name: 'webkit',
      version,
      async open(url) {
        const browser = await session();
        await browser.get(url);
        return {
          evaluate: (script, arg) =>
            browser.executeScript(
              'return (' + String(script) + ').call(null, arguments[0])',
              arg,
            ) as Promise<any>,
          goto: (to) => browser.get(to),
          reload: () => browser.navigate().refresh(),
          back: async () =>
            void (await browser.executeScript('setTimeout(function () { history.back(); })')),
          close: () => browser.quit(),
        };
      },
      close: async () => stop(),
    };
  } catch (error) {
    stop();
    throw error;
  }
}
