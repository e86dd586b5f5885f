// Chromium for the browser tests: where it is (RTM_CHROMIUM, default Debian's /usr/bin/chromium), the
// launch arguments the machine notes ask for (headless, no sandbox as root, nothing beyond localhost),
// and the skip rule — a missing browser skips the suite with a message, except in CI, where .ci/run
// installs it and its absence fails. Shared by test/browser/*.test.ts; no browser download (playwright-core).
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.RTM_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * True when Chromium is installed. When it is not: throws in CI (`CI` set), else warns with `suite`'s
 * name and returns false (the caller skips with describe.skipIf).
 */
export function chromiumPresent(suite: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  const msg = `${suite}: ${CHROMIUM} not installed (apt-get install chromium): browser tests skipped`;
  if (process.env.CI) throw new Error(`${msg} — CI must install it (.ci/run)`);
  console.warn(msg);
  return false;
}
