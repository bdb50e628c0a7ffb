// The chat example in a real headless browser: Debian's chromium driven by playwright-core. Two
// pages open the app through gu; what one sends, the other shows. .ci/run installs chromium when
// it is missing; without it (a machine without the package) the test is skipped, saying so.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { cleanUp, startGu } from '@gu/testkit';

const appDir = join(import.meta.dirname, '..');
const candidates = ['chromium', 'chromium-browser', 'google-chrome'];

/** The first chromium-like binary on PATH, or null. */
function findChromium(): string | null {
  for (const name of candidates) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    } catch {
      // not this one
    }
  }
  return null;
}

const executablePath = findChromium();
let browser: Browser | null = null;

afterEach(async () => {
  await browser?.close();
  browser = null;
  await cleanUp();
});

async function openChat(url: string): Promise<Page> {
  if (!browser) throw new Error('no browser');
  // A context each: two separate visitors.
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  await page.locator('#status', { hasText: 'connected' }).waitFor({ timeout: 10_000 });
  return page;
}

describe('apps/chat in headless chromium', () => {
  const title = 'two pages exchange messages through gu -k asgi';
  if (!executablePath) {
    it.skip(`${title} (skipped: no chromium binary on PATH, tried ${candidates.join(', ')}; apt-get install chromium)`, () => undefined);
    return;
  }

  it(title, async () => {
    const gu = await startGu(['app.mjs', '-k', 'asgi', '-w', '1', '-b', '127.0.0.1:0', '--access-logfile', '-'], { cwd: appDir });
    // Root needs no sandbox of its own here (CI runs as root); the page is ours.
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    const alice = await openChat(gu.url);
    const bob = await openChat(gu.url);
    await alice.locator('#messages li', { hasText: '(2 online)' }).waitFor();

    await alice.fill('#text', 'hello from alice');
    await alice.press('#text', 'Enter');
    await bob.locator('#messages li', { hasText: ': hello from alice' }).waitFor({ timeout: 5000 });
    await bob.fill('#text', 'hi alice, bob here');
    await bob.click('button');
    await alice.locator('#messages li', { hasText: ': hi alice, bob here' }).waitFor({ timeout: 5000 });

    const seenByBob = await bob.locator('#messages li').allTextContents();
    expect(seenByBob).toEqual(expect.arrayContaining([expect.stringMatching(/^guest-\d+: hello from alice$/), expect.stringMatching(/^guest-\d+: hi alice, bob here$/)]));
    // Both the page and the socket went through gu's front.
    await gu.waitForLog(/"GET \/ws HTTP\/1\.1" 101 /, 2);
    expect(gu.matches(/"GET \/ HTTP\/1\.1" 200 /)).toHaveLength(2);
  });
});
