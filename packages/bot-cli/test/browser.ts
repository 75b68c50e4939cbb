/**
 * Helpers for the browser tests: Debian's Chromium driven through
 * playwright-core (which downloads no browser), and where screenshots go.
 *
 * The browser is `RUNG_CHROMIUM` or `/usr/bin/chromium`. Without one the
 * browser tests fail in CI (`CI=true`) with how to install it, and are
 * skipped elsewhere with that reason printed.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'

/** Where the browser tests save their screenshots (ignored by git). */
export const SCREENSHOTS = resolve(
  import.meta.dirname,
  '../test-output/screenshots',
)

/** The Chromium executable, or undefined when there is none. */
export const chromiumPath: string | undefined = [
  process.env.RUNG_CHROMIUM,
  '/usr/bin/chromium',
].find((p): p is string => p !== undefined && p !== '' && existsSync(p))

const HOW_TO_INSTALL =
  'no Chromium for the browser tests: install it (`apt-get install -y chromium` on Debian) or set RUNG_CHROMIUM to a Chromium or Chrome executable'

/** True when the browser tests must be skipped (no Chromium, not in CI). */
export const skipBrowser = (() => {
  if (chromiumPath !== undefined) return false
  if (process.env.CI)
    throw new Error(`${HOW_TO_INSTALL} (CI=true: not skipped)`)
  console.warn(`skipping the browser tests: ${HOW_TO_INSTALL}`)
  return true
})()

/** Launches headless Chromium. */
export async function launchBrowser(): Promise<Browser> {
  if (chromiumPath === undefined) throw new Error(HOW_TO_INSTALL)
  return chromium.launch({
    executablePath: chromiumPath,
    // Root in CI cannot use Chromium's sandbox.
    args: ['--no-sandbox', '--disable-gpu'],
  })
}

/**
 * One Chromium for a test file: launched before its tests (unless they are
 * skipped), closed after them. Returns the getter the tests call.
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined
  beforeAll(async () => {
    if (!skipBrowser) browser = await launchBrowser()
  }, 30_000)
  afterAll(async () => {
    await browser?.close()
  })
  return () => {
    if (browser === undefined) throw new Error('no browser')
    return browser
  }
}

/** A page that records its console errors and page errors. */
export async function openPage(
  browser: Browser,
  url: string,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.goto(url)
  return { page, errors }
}

/** Saves a full-page screenshot under {@link SCREENSHOTS}; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const path = join(SCREENSHOTS, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}
