import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * A real browser for the end-to-end files that need one: Debian's Chromium driven by playwright-core
 * (Playwright's own download cannot reach its host here), one browser and one context per file. The
 * pages cannot run script (their CSP): the listener that reports a CSP violation as a console error
 * is the browser's, installed by the test.
 */

const REPORT_CSP_VIOLATIONS = "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))";

export const launchBrowser = async (viewport = { width: 1100, height: 1400 }): Promise<{ browser: Browser; context: BrowserContext }> => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const context = await browser.newContext({ viewport });
  await context.addInitScript(REPORT_CSP_VIOLATIONS);
  return { browser, context };
};

/** axe-core's findings on a page (it needs a page of `browser.newContext()`, not `browser.newPage()`). */
export const axeViolations = async (page: Page): Promise<string[]> =>
  (await new AxeBuilder({ page }).analyze()).violations.map((v) => `${page.url()} ${v.id}: ${v.nodes.length} (${v.help})`);
