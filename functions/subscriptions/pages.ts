import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ValidationError } from '../../events/errors';
import { json } from '../http/handle';
import { prefersHtml } from '../http/negotiation';
import { PAGE_HEADERS } from '../http/pages';
import { toProblem } from '../http/problem';
import { header } from '../http/request';
import { link } from '../render/pages/html';
import { renderDocument } from '../render/pages/layout';
import { escapeHtml } from '../render/text';
import type { Preferences } from './preferences';

/**
 * Answers of the subscription routes: a page for people (a browser, or any form post), JSON for API
 * clients. The pages are the public pages' document (render/pages/layout.ts) under their one CSP:
 * no script, no inline style, forms posting only to us. A refused link or input is a page with its
 * status for people; for API clients it stays a problem document (thrown on to functions/http/handle.ts).
 */

export interface PageForm {
  /** Where the form posts (a path with its token). */
  action: string;
  button: string;
  /** Hidden fields (RFC 8058's for the unsubscribe button). */
  fields?: Record<string, string>;
  inputs?: { name: string; label: string; value: string }[];
  /** A heading and a sentence above the form. */
  heading?: string;
  note?: string;
}

export interface Page {
  title: string;
  paragraphs: string[];
  forms?: PageForm[];
  links?: { href: string; text: string }[];
}

/** A form post is from a person; otherwise the one negotiation of the API decides (http/negotiation.ts). */
export const wantsPage = (event: APIGatewayProxyEventV2, form: boolean): boolean => form || prefersHtml(header(event, 'accept'));

const renderForm = (form: PageForm, index: number): string => {
  let html = form.heading ? `<h2>${escapeHtml(form.heading)}</h2>` : '';
  if (form.note) html += `<p>${escapeHtml(form.note)}</p>`;
  html += `<form class="subscribe" method="post" action="${escapeHtml(form.action)}">`;
  for (const [name, value] of Object.entries(form.fields ?? {})) html += `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
  for (const input of form.inputs ?? []) {
    const id = `f${index}-${input.name}`;
    html += `<p><label for="${escapeHtml(id)}">${escapeHtml(input.label)}</label><br><input id="${escapeHtml(id)}" name="${escapeHtml(input.name)}" value="${escapeHtml(input.value)}"></p>`;
  }
  return `${html}<p><button type="submit">${escapeHtml(form.button)}</button></p></form>`;
};

export const renderPage = (page: Page): string => {
  let main = `<h1>${escapeHtml(page.title)}</h1>`;
  for (const p of page.paragraphs) main += `<p>${escapeHtml(p)}</p>`;
  main += (page.forms ?? []).map(renderForm).join('');
  for (const l of page.links ?? []) main += `<p>${link(l.href, escapeHtml(l.text))}</p>`;
  return renderDocument({ title: page.title, main });
};

/** Token links are never cached and never sent on as a referrer. */
const NO_TRACE = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };

export const pageResponse = (status: number, page: Page): APIGatewayProxyStructuredResultV2 => ({
  statusCode: status,
  headers: { 'content-type': 'text/html; charset=utf-8', ...PAGE_HEADERS, ...NO_TRACE, 'x-robots-tag': 'noindex' },
  body: renderPage(page),
});

/**
 * Runs a route's work and answers with a page or JSON. For people, a refusal is a page with the
 * status, title and detail of the problem document an API client would get (http/problem.ts, the one
 * mapping of errors); a validation error lists its fields. A 5xx is thrown on to http/handle.ts.
 */
export const answer = async (
  html: boolean,
  work: () => Promise<{ status: number; page: Page; body: unknown }>,
): Promise<APIGatewayProxyStructuredResultV2> => {
  try {
    const { status, page, body } = await work();
    return html ? pageResponse(status, page) : json(status, body, NO_TRACE);
  } catch (error) {
    if (!html) throw error;
    const { problem, headers } = toProblem(error, '');
    if (problem.status >= 500) throw error;
    const issues = error instanceof ValidationError ? error.issues.map((i) => `${i.field}: ${i.message}`) : [];
    const page = pageResponse(problem.status, { title: problem.title, paragraphs: issues.length ? issues : [problem.detail] });
    return { ...page, headers: { ...page.headers, ...headers } };
  }
};

/** The form of the preferences page, filled with what the subscription covers now. */
export const preferencesForm = (preferences: Preferences, action: string): PageForm => ({
  action,
  button: 'Save',
  inputs: [
    { name: 'period', label: 'Period (daily or weekly)', value: preferences.period },
    { name: 'stories', label: 'Stories (comma-separated ids; with no topics either: every story)', value: preferences.stories.join(', ') },
    { name: 'topics', label: 'Topics (comma-separated)', value: preferences.topics.join(', ') },
  ],
});
