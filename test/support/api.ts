import { development } from './fixtures';
import { assertMatchesOpenApi } from './openapi-check';
import type { RunningStoryline } from './runtime';

/**
 * A small client for Storyline's HTTP API, over real HTTP (fetch), for the end-to-end tests. Every
 * response it receives is checked against /openapi.json: a status, content type or JSON body the
 * document does not declare fails the test that made the request.
 */

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, when it is JSON. */
  json: any;
}

const read = async (res: Response): Promise<ApiResponse> => {
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
};

/**
 * A fetch whose body is read whole before it returns: for a check of a status or a header alone. A
 * response left unread holds its connection (undici stops reading a large body nobody consumes), and
 * one such connection, half-closed by a runtime that had stopped, kept a jest worker from exiting.
 */
export const fetchRead = async (url: string, init?: RequestInit): Promise<ApiResponse> => read(await fetch(url, init));

export interface RequestOptions {
  token?: string | null;
  headers?: Record<string, string>;
  /** A raw body; otherwise `body` is sent as JSON. */
  raw?: string | Buffer;
  method?: string;
}

export const apiClient = (app: RunningStoryline) => {
  const request = async (method: string, path: string, body?: unknown, { token = app.token, headers = {}, raw }: RequestOptions = {}): Promise<ApiResponse> => {
    const init: RequestInit = {
      method,
      headers: {
        ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
    };
    const response = await read(await fetch(`${app.baseUrl}${path}`, init));
    assertMatchesOpenApi(method, path, response.status, response.headers.get('content-type'), response.text);
    return response;
  };
  return {
    request,
    get: (path: string, headers: Record<string, string> = {}) => request('GET', path, undefined, { headers, token: null }),
    openStory: (storyId: string, body: unknown, options?: RequestOptions) => request('PUT', `/stories/${storyId}`, body, options),
    append: (storyId: string, body: unknown, options?: RequestOptions) => request('POST', `/stories/${storyId}/events`, body, options),
    /** The whole event log of a story. */
    log: async (storyId: string): Promise<any[]> => (await request('GET', `/stories/${storyId}/events?limit=1000`, undefined, { token: null })).json.events,
  };
};
export type ApiClient = ReturnType<typeof apiClient>;

/** A development's data, with its own headline; spread more fields over it. */
export const developmentData = (headline: string, overrides: Record<string, unknown> = {}) => ({ ...development, headline, ...overrides });

let meetings = 0;
/** A MeetingHeld event (without id) between russia and pakistan. */
export const meeting = (headline: string, overrides: Record<string, unknown> = {}) => ({
  type: 'MeetingHeld',
  data: developmentData(headline, { meetingId: `meeting-${++meetings}-${Math.random().toString(36).slice(2, 8)}`, participants: ['russia', 'pakistan'], place: 'Moscow', outcome: 'Talks were held.', ...overrides }),
});

/** The actors the fixture developments refer to. */
export const fixtureActors = [
  { type: 'ActorIdentified', data: { actorId: 'russia', name: 'Russia', aliases: ['Russian Federation'], kind: 'country' } },
  { type: 'ActorIdentified', data: { actorId: 'pakistan', name: 'Pakistan', aliases: [], kind: 'country' } },
];

/** Opens a story and identifies the fixture actors (plus any others); fails the test unless both succeed. */
export const openStoryWithActors = async (api: ApiClient, storyId: string, { title = `Story ${storyId}`, topics = ['diplomacy'], actors = [] as unknown[] } = {}): Promise<number> => {
  const opened = await api.openStory(storyId, { title, summary: `What ${storyId} is about.`, topics });
  if (opened.status !== 201) throw new Error(`PUT /stories/${storyId}: ${opened.status} ${opened.text}`);
  const identified = await api.append(storyId, { expectedVersion: 1, events: [...fixtureActors, ...actors] });
  if (identified.status !== 201) throw new Error(`POST /stories/${storyId}/events: ${identified.status} ${identified.text}`);
  return identified.json.version as number;
};
