import { createHash } from 'node:crypto';
import { compareDevelopments, compareIdentifications, developmentOf, identificationIn, initialActor, profileFields, type ActorDevelopment, type ActorModel, type Identification } from './actors';
import { lastTouched } from './derived';
import { correctEntry, entryActors, everActors, everTopics, fieldsOf, type TimelineEntry } from './entry';
import { compareFeedEntries, correctionItem, developmentItem, retractionItem, type FeedModelEntry } from './feed-entries';
import { EPOCH, initialFeed, MAX_FEED_ENTRIES, type FeedModel } from './feeds';
import { actorFeedKey, actorIdOfKey, actorKey, ALL_FEED_KEY, parseFeedKey, STORIES_KEY, storyFeedKey, topicFeedKey } from './keys';
import { compareStrings, unique } from './lists';
import { compareSummaries, type StoriesModel, type StorySummary } from './stories';
import type { TimelineModel } from './story-model';

/**
 * The read models many stories share (the all-stories, topic, actor and story feeds, the list of
 * stories, an actor across stories) are not stored as one document each but as COLLECTIONS: one
 * small item per entry, under the document's key, with a numeric sort key. A batch writes only the
 * items its events changed, without reading the collection or guarding on it: an item is a pure
 * function of its story (`storyItems`), so writing it again is idempotent, and two stories never
 * write the same item. Readers assemble the document the projection defines (`assemble`), with the
 * same meaning as the fold's (events/projections/fold.ts), without its bookkeeping (`applied`).
 */

/**
 * One item of a collection. An item that changes as its story goes on (a development's, corrected
 * or retracted; a story's entry in the list) is stored at a sort key of its own per revision `rev`:
 * writing a revision deletes the one before, and readers take the highest revision of each. So a
 * projector that writes late (another projected the same story meanwhile) can add an older
 * revision back, never replace a newer one: what readers see never goes back.
 */
export type CollectionItem =
  | { t: 'entry'; entry: FeedModelEntry; rev: number }
  /** A title a feed takes from a story; the smallest `from` wins (an actor's earliest identification). */
  | { t: 'title'; from: string; title: string; description: string; at?: string; v?: number }
  | { t: 'story'; story: StorySummary }
  | { t: 'dev'; dev: ActorDevelopment; rev: number }
  /** The development no longer involves the actor. */
  | { t: 'gone'; storyId: string; eventId: string; rev: number }
  | { t: 'ident'; ident: Identification }
  /** The actor appears in this story. */
  | { t: 'in'; storyId: string };

/** A write of one item of collection `key`: `item` undefined deletes it. */
export interface ItemWrite {
  key: string;
  /** The sort key: a decimal integer of at most 38 digits (DynamoDB's precision). */
  sk: string;
  item?: CollectionItem;
}

export const isCollectionKey = (key: string): boolean => {
  if (key === STORIES_KEY || actorIdOfKey(key) !== undefined) return true;
  const feed = parseFeedKey(key);
  return feed !== undefined && feed.kind !== 'digest';
};

/**
 * Feed entries sort at and above ENTRY_FLOOR, newest last; everything else of a collection below it,
 * but an actor's identifications, which sort above it (an actor's collection has no feed entries), so
 * that its profile is read without its developments. The list of stories sorts by when each story
 * last changed, newest last, so that its newest stories are a Query with a Limit.
 */
const ENTRY_FLOOR = 10n ** 37n;
const hashed = (text: string, digits: number): bigint => BigInt(`0x${createHash('sha256').update(text).digest('hex').slice(0, 32)}`) % 10n ** BigInt(digits);
const below = (text: string, rev = 0, revDigits = 0): string => (hashed(text, 36 - revDigits) * 10n ** BigInt(revDigits) + BigInt(rev) + 1n).toString();
const clamp = (n: number, max: number): bigint => BigInt(Math.min(Math.max(Number.isFinite(n) ? Math.floor(n) : 0, 0), max));

/** A feed entry's sort key: by when reported, then recorded, then version (ascending: the newest is last), unique by stream and version, then its revision. */
export const entrySk = (entry: FeedModelEntry, rev: number): string => {
  const published = clamp(Date.parse(entry.published) / 1000, 1e11 - 1);
  const recorded = clamp(Date.parse(entry.recorded.at), 1e13 - 1);
  const version = clamp(entry.recorded.version, 1e6 - 1);
  return (ENTRY_FLOOR + published * 10n ** 26n + recorded * 10n ** 13n + version * 10n ** 7n + hashed(entry.recorded.streamId, 4) * 1000n + clamp(rev, 999)).toString();
};

/** A story's entry in the list of stories: by when it last changed, then story, then version (ascending: the newest is last). */
const storySk = (story: Pick<StorySummary, 'storyId' | 'version' | 'updatedAt'>): string =>
  (clamp(Date.parse(story.updatedAt), 1e13 - 1) * 10n ** 23n + hashed(story.storyId, 16) * 10n ** 7n + clamp(story.version, 1e7 - 1) + 1n).toString();

/** An actor's identification: above the rest of its collection, so that a profile is read alone. */
const identSk = (eventId: string): string => (ENTRY_FLOOR + BigInt(below(`ident/${eventId}`))).toString();

/** How many times a development changed (corrections and retraction), up to version `upTo`: its items' revision. */
const revisionOf = (entry: TimelineEntry, upTo = Number.POSITIVE_INFINITY): number =>
  entry.corrections.filter((c) => c.version <= upTo).length + (entry.retracted && entry.retracted.version <= upTo ? 1 : 0);

/** Of the items with the same identity, the highest revision. */
const latest = <I extends { rev: number }>(items: readonly I[], identity: (item: I) => string): I[] => {
  const best = new Map<string, I>();
  for (const item of items) {
    const known = best.get(identity(item));
    if (!known || item.rev > known.rev) best.set(identity(item), item);
  }
  return [...best.values()];
};

/** How a reader reads a collection: sort-key ranges (inclusive), each whole or its newest `limit` items. */
export interface CollectionRange {
  from: string;
  to: string;
  newestFirst?: boolean;
  limit?: number;
}

const ALL: CollectionRange = { from: '1', to: (10n ** 38n - 1n).toString() };
/** Items read beyond a feed's size, so that entries sharing a sort-key prefix at the cut cannot push one out. */
const SLACK = 64;

/** The ranges to read of a collection; of a feed, its newest `limit` entries (MAX_FEED_ENTRIES by default); of the list of stories, the newest `limit` (all by default). */
export const collectionRanges = (key: string, limit?: number): CollectionRange[] => {
  if (parseFeedKey(key))
    return [
      { from: ENTRY_FLOOR.toString(), to: ALL.to, newestFirst: true, limit: Math.min(limit ?? MAX_FEED_ENTRIES, MAX_FEED_ENTRIES) + SLACK },
      { from: '1', to: (ENTRY_FLOOR - 1n).toString() },
    ];
  if (key === STORIES_KEY && limit !== undefined) return [{ ...ALL, newestFirst: true, limit: limit + SLACK }];
  return [ALL];
};

/** The range of an actor's collection that holds its identifications: its profile, without its developments (./actors.ts profileFields). */
export const ACTOR_PROFILE_RANGE: CollectionRange = { from: ENTRY_FLOOR.toString(), to: ALL.to };

/**
 * An actor feed is titled by the earliest identification (the smallest `from`); a story feed (`from`
 * '') by its latest revision (the highest `v`): each revision is an item of its own, so a projector
 * that writes an older title late (a retry racing a newer batch) cannot take the feed back to it.
 */
const preferredTitle = (item: Extract<CollectionItem, { t: 'title' }>, than: Extract<CollectionItem, { t: 'title' }>): boolean =>
  item.from !== than.from ? item.from < than.from : (item.v ?? 0) > (than.v ?? 0);

const feedOf = (key: string, items: readonly CollectionItem[], limit: number): FeedModel => {
  const entries: Extract<CollectionItem, { t: 'entry' }>[] = [];
  let title: Extract<CollectionItem, { t: 'title' }> | undefined;
  for (const item of items) {
    if (item.t === 'entry') entries.push(item);
    else if (item.t === 'title' && (title === undefined || preferredTitle(item, title))) title = item;
  }
  const kept = latest(entries, (item) => item.entry.id)
    .map((item) => item.entry)
    .sort(compareFeedEntries)
    .slice(0, Math.min(limit, MAX_FEED_ENTRIES));
  const updated = kept.reduce((latest, entry) => (entry.updated > latest ? entry.updated : latest), EPOCH);
  const feed = { ...initialFeed(key), updated, entries: kept };
  return title ? { ...feed, title: title.title, description: title.description, ...(title.from !== '' ? { titleFrom: title.from } : {}), ...(title.at !== undefined ? { retitledAt: title.at } : {}) } : feed;
};

const actorOf = (actorId: string, items: readonly CollectionItem[]): ActorModel => {
  const identifications: Identification[] = [];
  const changes: Extract<CollectionItem, { t: 'dev' | 'gone' }>[] = [];
  const stories: string[] = [];
  for (const item of items) {
    if (item.t === 'ident') {
      identifications.push(item.ident);
      stories.push(item.ident.storyId);
    } else if (item.t === 'dev' || item.t === 'gone') changes.push(item);
    else if (item.t === 'in') stories.push(item.storyId);
  }
  const developments = latest(changes, (item) => (item.t === 'dev' ? `${item.dev.storyId}/${item.dev.eventId}` : `${item.storyId}/${item.eventId}`)).flatMap((item) => (item.t === 'dev' ? [item.dev] : []));
  identifications.sort(compareIdentifications);
  return {
    ...initialActor(actorId),
    ...profileFields(
      identifications[0],
      identifications.flatMap((i) => [i.name, ...i.aliases]),
    ),
    developments: developments.sort(compareDevelopments),
    identifications,
    stories: unique(stories).sort(compareStrings),
  };
};

/** The document a collection's items make, as the projection defines it (`applied` left empty), a feed or the list of stories with its newest `limit` entries; undefined when it has none. */
export const assemble = (key: string, items: readonly CollectionItem[], limit?: number): unknown => {
  if (items.length === 0) return undefined;
  if (key === STORIES_KEY) {
    const summaries = items.flatMap((item) => (item.t === 'story' ? [{ rev: item.story.version, story: item.story }] : []));
    const stories = latest(summaries, (item) => item.story.storyId)
      .map((item) => item.story)
      .sort(compareSummaries);
    return { stories: limit === undefined ? stories : stories.slice(0, limit), applied: {} } satisfies StoriesModel;
  }
  const actorId = actorIdOfKey(key);
  if (actorId !== undefined) return actorOf(actorId, items);
  return feedOf(key, items, limit ?? MAX_FEED_ENTRIES);
};

/**
 * What one batch did to a story: its progress before, the developments its events added or changed,
 * its last event every projection read, and, when known, the last event of the story as the batch
 * found it (where its entry in the list of stories sits).
 */
export interface StoryTouch {
  after: number;
  developments: ReadonlySet<string>;
  /** The batch revised the story's title or summary (feeds.ts `retitlesStory`): its feed takes the new title. */
  retitled?: boolean;
  /** The version of the story's last revision as the batch found it (0: none): its title item is replaced. */
  retitledFrom?: number;
  /** The actors developments of the story involved before the batch (its totals as the batch found them): each is in the story already. */
  actorsBefore?: readonly string[];
  last?: { version: number; recordedAt: string };
  before?: { version: number; recordedAt: string };
}

/** The development as it stood after the first `count` of its corrections. */
const correctedBy = (entry: TimelineEntry, count: number): TimelineEntry => {
  const { retracted: _retracted, ...rest } = entry;
  return entry.corrections.slice(0, count).reduce(correctEntry, { ...rest, ...fieldsOf(entry.original), corrections: [] } as TimelineEntry);
};

const feedsOf = (storyId: string, entry: TimelineEntry): string[] =>
  unique([ALL_FEED_KEY, storyFeedKey(storyId), ...everTopics(entry).map(topicFeedKey), ...everActors(entry).map(actorFeedKey)]);

/**
 * The items of the collections a batch changed, from the story as it stands after the batch: for
 * each development it touched, its item in every feed it ever belonged to (where the fold's
 * documents hold it as it stands now) and the announcements of its corrections and retraction
 * recorded in the batch; the feeds' titles taken from the story; its entry in the list of stories;
 * and the actors' developments, identifications and stories. Each item once.
 */
export const storyItems = (story: TimelineModel, touch: StoryTouch): ItemWrite[] => {
  const { storyId } = story;
  const writes = new Map<string, ItemWrite>();
  const write = (key: string, sk: string, item?: CollectionItem) => writes.set(`${key}\n${sk}`, { key, sk, ...(item ? { item } : {}) });
  const feedEntry = (keys: readonly string[], entry: FeedModelEntry, rev = 0, before?: number) => {
    for (const key of keys) {
      write(key, entrySk(entry, rev), { t: 'entry', entry, rev });
      if (before !== undefined && before < rev) write(key, entrySk(entry, before));
    }
  };
  const fed = new Set<string>();
  // what the batches before wrote stays as they wrote it: an actor's membership of the story is written
  // once a development first involves the actor, at any time (as the actors projection counts it)
  const involvedBefore = new Set(touch.actorsBefore ?? []);
  // the developments the story had before the batch (those the batch added are among the entries the projector read)
  const developmentsBefore = story.totals.developments - story.entries.filter((entry) => entry.version > touch.after).length;
  for (const entry of story.entries) {
    if (!touch.developments.has(entry.id)) continue;
    const feeds = feedsOf(storyId, entry);
    for (const key of feeds) fed.add(key);
    // the revision the batch found, replaced (a development it added had none)
    const before = entry.version <= touch.after ? revisionOf(entry, touch.after) : undefined;
    const rev = revisionOf(entry);
    feedEntry(feeds, developmentItem(storyId, entry), rev, before);
    entry.corrections.forEach((correction, i) => {
      if (correction.version <= touch.after) return;
      const then = correctedBy(entry, i + 1);
      feedEntry(feedsOf(storyId, then), correctionItem(storyId, then, correction));
    });
    if (entry.retracted && entry.retracted.version > touch.after) {
      const then = correctedBy(entry, entry.corrections.filter((c) => c.version < (entry.retracted?.version ?? 0)).length);
      feedEntry(feedsOf(storyId, then), retractionItem(storyId, then, entry.retracted));
    }
    const involved = new Set(entryActors(entry));
    for (const actorId of everActors(entry)) {
      const key = actorKey(actorId);
      const sk = (r: number) => below(`dev/${storyId}/${entry.id}`, r, 3);
      if (involved.has(actorId)) write(key, sk(rev), { t: 'dev', dev: developmentOf(storyId, entry), rev });
      else write(key, sk(rev), { t: 'gone', storyId, eventId: entry.id, rev });
      if (!involvedBefore.has(actorId)) write(key, below(`in/${storyId}`), { t: 'in', storyId });
      if (before !== undefined && before < rev) write(key, sk(before));
    }
  }
  // a story's feed exists from its first development: a revision renames it, and never makes one; its
  // title is written with the first development (not again until a revision: a batch before wrote it)
  const storyFeed = storyFeedKey(storyId);
  if (story.opened && ((fed.has(storyFeed) && developmentsBefore === 0) || (touch.retitled && story.totals.developments > 0))) {
    const v = story.revised?.version ?? 0;
    write(storyFeed, below('title/', v, 6), { t: 'title', from: '', title: story.title, description: story.summary, ...(story.revised ? { at: story.revised.recordedAt, v } : {}) });
    // the title of the revision before goes (a retry racing this batch may write it again: readers take the newest)
    if (touch.retitledFrom !== undefined && touch.retitledFrom !== v) write(storyFeed, below('title/', touch.retitledFrom, 6));
  }
  for (const actor of story.actors) {
    if (actor.version > touch.after) write(actorKey(actor.actorId), identSk(actor.eventId), { t: 'ident', ident: identificationIn(storyId, actor) });
  }
  // an actor's feed is titled by the first identification in a story that a later item of the feed saw
  for (const key of fed) {
    const feed = parseFeedKey(key);
    if (feed?.kind !== 'actor') continue;
    const actor = story.actors.find((a) => a.actorId === feed.actorId);
    if (!actor || !story.opened) continue;
    // an item fed in this batch came from a development the batch touched, and one touched after the
    // identification is the batch's when the identification is: the entries read by the projector decide it
    const seen = story.entries.some((entry) => lastTouched(entry) > actor.version && everActors(entry).includes(feed.actorId));
    if (seen) write(key, below(`title/${storyId}`), { t: 'title', from: `${actor.recordedAt}|${storyId}`, title: `Storyline: ${actor.name}`, description: `Developments involving ${actor.name}.` });
  }
  if (touch.last) {
    const summary: StorySummary = { storyId, title: story.title, summary: story.summary, topics: story.topics, version: touch.last.version, updatedAt: touch.last.recordedAt };
    write(STORIES_KEY, storySk(summary), { t: 'story', story: summary });
    // the entry the batch found goes (one left by an unknown or raced predecessor stays, and readers take the newest per story)
    if (touch.before && touch.before.version < touch.last.version) write(STORIES_KEY, storySk({ storyId, ...touch.before, updatedAt: touch.before.recordedAt }));
  }
  return [...writes.values()];
};

/** The keys of the feeds these writes change. */
export const feedsChangedBy = (writes: readonly ItemWrite[]): string[] => unique(writes.map((w) => w.key).filter((key) => parseFeedKey(key) !== undefined));
