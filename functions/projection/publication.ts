import type { ProjectableEvent } from '../../events/projections';
import type { StoredDocument } from '../adapters/read-model-store';

/**
 * What the projector publishes from the documents it keeps: a feed's rendered current page
 * (feed-publisher.ts), and whatever else is derived from the documents and stored ready to serve
 * (the pages for people are not: they are rendered when read, ../page-reader.ts). A publisher hears of every document a batch
 * touches, once each, after it is stored, and then that the batch is settled.
 */
export interface Publisher {
  /** Prepares the publication of a batch that touches these documents (e.g. reads what is published of them at once). */
  forBatch(keys: readonly string[], generation: number): Promise<BatchPublication>;
}

export interface BatchPublication {
  /** The batch wrote this document: publish it. */
  changed(doc: StoredDocument<unknown>): Promise<void>;
  /**
   * The batch left this document as it was (a redelivery): publish it if what is published lags
   * behind it, as when a crash fell between the document's write and its publication.
   */
  unchanged(doc: StoredDocument<unknown> | undefined): Promise<void>;
  /**
   * Every document of the batch is stored (a redelivery included, which wrote none): publish what
   * is derived from several documents at once, for the streams of these events.
   */
  settled?(events: readonly ProjectableEvent[]): Promise<void>;
}

/** Every publisher's publication of one batch, as one. */
export const publishAll = async (publishers: readonly Publisher[], keys: readonly string[], generation: number): Promise<Required<BatchPublication>> => {
  const each = await Promise.all(publishers.map((p) => p.forBatch(keys, generation)));
  return {
    changed: async (doc) => {
      for (const publication of each) await publication.changed(doc);
    },
    unchanged: async (doc) => {
      for (const publication of each) await publication.unchanged(doc);
    },
    settled: async (events) => {
      for (const publication of each) await publication.settled?.(events);
    },
  };
};
