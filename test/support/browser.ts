import { readFileSync } from 'node:fs';
import type { AxeResults } from 'axe-core';
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

/** axe-core's own bundle, minified: injected into each page checked (the pages' CSP does not bind the driver's script). */
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's findings on a page, every rule of its default run. Run in the page itself, asking back only the
 * violations (the other result types keep one node each): @axe-core/playwright took ~6.5 s a page on a busy (load ~10)
 * machine (the full source injected twice, a blank page for its finishing step, every passing node sent back),
 * this ~0.9 s, with the same findings.
 */
export const axeViolations = async (page: Page): Promise<string[]> => {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const { axe } = globalThis as unknown as { axe: { run(context: unknown, options: object): Promise<AxeResults> } };
    return (await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] })).violations.map((v) => ({ id: v.id, nodes: v.nodes.length, help: v.help }));
  });
  return violations.map((v) => `${page.url()} ${v.id}: ${v.nodes} (${v.help})`);
};
