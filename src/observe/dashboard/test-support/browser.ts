import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { describe, it } from 'vitest';
import { isCi } from '../../../store/test-support/services.js';

/** Debian's Chromium: playwright-core drives it and downloads no browser of its own. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless, and quiet: the machine has no internet, and without the background-networking flags
 * Chromium keeps trying to reach Google's update, sync and field-trial services.
 */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  /** The tab the browser opened with. */
  page: Page;
  close(): Promise<void>;
}

/** Starts Chromium on a fresh profile of its own, removed on close. */
export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'rampart-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: FLAGS,
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    locale: 'en-US',
    timezoneId: 'UTC',
    colorScheme: 'dark',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A `describe` block that needs Chromium. Locally a missing browser skips it with the command
 * that installs one; in CI (`CI` set) it fails, so the dashboard test cannot pass by not running.
 */
export function describeWithChromium(name: string, body: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, body);
    return;
  }
  if (isCi()) {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(`No browser at ${CHROMIUM}, but CI is set: .ci/run installs it.`);
      });
    });
    return;
  }
  describe.skip(name, () => {
    it(`needs Chromium at ${CHROMIUM} (apt-get install chromium); skipped`, () => undefined);
  });
}
