import type { Confidence, DateSpan, Source } from '../catalog/development';

/**
 * What a feed is made of, independent of its format. The projector builds these from events
 * (events/projections/feeds.ts); functions/render turns them into RSS 2.0, Atom 1.0 and JSON Feed 1.1.
 * All text here is plain text: renderers escape it, and build any HTML themselves. The domain
 * holds no URL: items and feeds are named by ids, and functions/links.ts builds their links from
 * the route declaration.
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
  /** Digest items only: sections composed by events/digest, rendered to HTML by the renderer. */
  digest?: Record<string, unknown>;
  /** Digest items only: which digest it is (its page is built from this, by functions/links.ts). */
  digestRef?: { period: string; digestId: string };
}

export interface FeedDocument {
  /** `all`, `story/<id>`, `topic/<topic>`, `actor/<id>`, `digest/<period>` */
  key: string;
  title: string;
  description: string;
  /** The newest `updated` of its entries (ISO 8601). */
  updated: string;
  /** Newest first. */
  entries: FeedEntry[];
}

export type FeedFormat = 'rss' | 'atom' | 'json';
export const FEED_PAGE_SIZE = 50;
