import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ValidationError } from '../../events/errors';
import { json } from '../http/handle';
import { HttpError } from '../http/http-errors';
import { header } from '../http/request';
import { escapeHtml } from '../render/text';
import type { Preferences } from './preferences';

/**
 * Answers of the subscription routes: a page for people (a browser, or any form post), JSON for API
 * clients. A refused link or input is a page with its status for people; for API clients it stays a
 * problem document (thrown on to functions/http/handle.ts).
 */

export interface Page {
  title: string;
  paragraphs: string[];
  /** A form posting back (RFC 8058 field included for the unsubscribe button). */
  form?: { action: string; button: string; fields?: Record<string, string>; inputs?: { name: string; label: string; value: string }[] };
  links?: { href: string; text: string }[];
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const wantsPage = (event: APIGatewayProxyEventV2, form: boolean): boolean => form || (header(event, 'accept') ?? '').includes('text/html');

export const renderPage = (page: Page): string => {
  let html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(page.title)} - Storyline</title></head>`;
  html += '<body style="font-family: Georgia, serif; max-width: 36em; margin: 2em auto; padding: 0 1em; line-height: 1.45"><main>';
  html += `<h1>${escapeHtml(page.title)}</h1>`;
  for (const p of page.paragraphs) html += `<p>${escapeHtml(p)}</p>`;
  if (page.form) {
    html += `<form method="post" action="${escapeHtml(page.form.action)}">`;
    for (const [name, value] of Object.entries(page.form.fields ?? {})) html += `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
    for (const input of page.form.inputs ?? []) {
      html += `<p><label for="${escapeHtml(input.name)}">${escapeHtml(input.label)}</label><br><input id="${escapeHtml(input.name)}" name="${escapeHtml(input.name)}" value="${escapeHtml(input.value)}"></p>`;
    }
    html += `<button type="submit">${escapeHtml(page.form.button)}</button></form>`;
  }
  for (const link of page.links ?? []) html += `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>`;
  return `${html}</main></body></html>`;
};

export const pageResponse = (status: number, page: Page): APIGatewayProxyStructuredResultV2 => ({
  statusCode: status,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': CSP, 'referrer-policy': 'no-referrer' },
  body: renderPage(page),
});

/** Runs a route's work and answers with a page or JSON; for people, refusals become pages too. */
export const answer = async (
  html: boolean,
  work: () => Promise<{ status: number; page: Page; body: unknown }>,
): Promise<APIGatewayProxyStructuredResultV2> => {
  try {
    const { status, page, body } = await work();
    return html ? pageResponse(status, page) : json(status, body, { 'referrer-policy': 'no-referrer' });
  } catch (error) {
    if (html && error instanceof HttpError && error.status < 500) {
      const page = pageResponse(error.status, { title: error.title, paragraphs: [error.message] });
      return { ...page, headers: { ...page.headers, ...error.headers } };
    }
    if (html && error instanceof ValidationError) return pageResponse(400, { title: 'Please check the form', paragraphs: error.issues.length ? error.issues.map((i) => `${i.field}: ${i.message}`) : [error.message] });
    throw error;
  }
};

/** The form of the preferences page, filled with what the subscription covers now. */
export const preferencesForm = (preferences: Preferences, action: string): NonNullable<Page['form']> => ({
  action,
  button: 'Save',
  inputs: [
    { name: 'period', label: 'Period (daily or weekly)', value: preferences.period },
    { name: 'stories', label: 'Stories (comma-separated ids; with no topics either: every story)', value: preferences.stories.join(', ') },
    { name: 'topics', label: 'Topics (comma-separated)', value: preferences.topics.join(', ') },
  ],
});
