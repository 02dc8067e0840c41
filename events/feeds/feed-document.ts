import type { Confidence, DateSpan, Source } from '../catalog/development';

/**
 * What a feed is made of, independent of its format. The projector builds these from events
 * (events/projections/feeds.ts); functions/render turns them into RSS 2.0, Atom 1.0 and JSON Feed 1.1.
 * All text here is plain text: renderers escape it, and build any HTML themselves.
 */
export interface FeedEntry {
  /** Item identity: the event id (a UUID). Never changes, whatever is corrected. */
  id: string;
  storyId: string;
  kind: 'development' | 'correction' | 'retraction' | 'digest';
  /** The event type (`VisitCancelled`, `DevelopmentCorrected`, `DigestPublished`...). */
  eventType: string;
  title: string;
  summary: string;
  /** When the development was reported (ISO 8601 UTC instant): RSS pubDate, Atom published. */
  published: string;
  /** Last change: the latest correction or retraction, else `published`. */
  updated: string;
  occurred?: DateSpan;
  topics: string[];
  actors: string[];
  sources: Source[];
  confidence?: Confidence;
  /** Set when the development was retracted. */
  withdrawn?: { reason: string; at: string };
  /** Corrections applied to this entry, oldest first. */
  corrections: { eventId: string; note: string; at: string }[];
  /** For a correction or retraction item: the id of the event it concerns. */
  concerns?: string;
  /** The item's page, relative to the API's base URL (e.g. `/stories/<id>/timeline#<eventId>`). */
  path: string;
  /** Digest items only: sections composed by events/digest, rendered to HTML by the renderer. */
  digest?: Record<string, unknown>;
}

export interface FeedDocument {
  /** `all`, `story/<id>`, `topic/<topic>`, `actor/<id>`, `digest/<period>` */
  key: string;
  title: string;
  description: string;
  /** Path of the feed without extension, relative to the base URL: `/stories/<id>/feed`, `/feed`. */
  path: string;
  /** Path of an HTML page about the feed's subject (the alternate link). */
  homePath: string;
  /** The newest `updated` of its entries (ISO 8601). */
  updated: string;
  /** Newest first. */
  entries: FeedEntry[];
}

/** Links between the pages of a feed (RFC 5005 archives / JSON Feed next_url), as absolute URLs. */
export interface FeedLinks {
  baseUrl: string;
  /** The URL this document is served at (atom:link rel="self", JSON Feed feed_url). */
  self: string;
  /** The current (newest) page of the feed, in the same format. */
  current: string;
  /** The next older page, when there is one. */
  prevArchive?: string;
  /** The next newer archive page, when this is an archive page. */
  nextArchive?: string;
  /** True for archive pages (RFC 5005 fh:archive). */
  archive?: boolean;
}

export type FeedFormat = 'rss' | 'atom' | 'json';
export const FEED_PAGE_SIZE = 50;
