/**
 * A Bloom filter of a story's older events (their ids and content hashes): a fixed number of bits,
 * whatever the story's length, that answers "no" for certain and "maybe" otherwise. A state restored
 * from a snapshot's head holds it in place of the older events themselves: the decider needs them
 * only to know that an id or a content hash is new, and the filter says so for nearly every one (a
 * "maybe" sends the caller for the whole state). Pure: bits in, bits out.
 */

/** 2^19 bits (64 KiB): under 1 in 300 keys "maybe" at 40,000 keys (a 20,000-event story), 1 in 160,000 at 10,000. */
export const FILTER_BITS = 2 ** 19;
const PROBES = 5;

export interface EventFilter {
  readonly bits: Uint8Array;
}

export const emptyFilter = (): EventFilter => ({ bits: new Uint8Array(FILTER_BITS / 8) });
export const copyFilter = (filter: EventFilter): EventFilter => ({ bits: filter.bits.slice() });
export const filterFrom = (bits: Uint8Array): EventFilter => {
  if (bits.byteLength !== FILTER_BITS / 8) throw new Error(`an event filter holds ${FILTER_BITS / 8} bytes, not ${bits.byteLength}`);
  return { bits };
};

/** FNV-1a (32 bits) from a given basis: two bases give the two hashes that place every probe. */
const fnv1a = (key: string, basis: number): number => {
  let hash = basis;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash >>> 0;
};

/** Whether the key's every probe finds its bit set; `set` sets them first. */
const probe = (filter: EventFilter, key: string, set: boolean): boolean => {
  const first = fnv1a(key, 0x811c9dc5);
  const step = fnv1a(key, 0x050c5d1f) | 1;
  let all = true;
  for (let i = 0; i < PROBES; i++) {
    const bit = (first + Math.imul(i, step)) & (FILTER_BITS - 1);
    const mask = 1 << (bit & 7);
    const byte = filter.bits[bit >>> 3] ?? 0;
    if (set) filter.bits[bit >>> 3] = byte | mask;
    else if ((byte & mask) === 0) all = false;
  }
  return all;
};

export const addKey = (filter: EventFilter, key: string): void => {
  probe(filter, key, true);
};

export const mayHave = (filter: EventFilter, key: string): boolean => probe(filter, key, false);

/** The keys of an event: its id and its content hash (kept apart, since a client may choose any id). */
export const idKey = (id: string): string => `id:${id}`;
export const hashKey = (hash: string): string => `hash:${hash}`;
export const addEvent = (filter: EventFilter, id: string, hash: string): void => {
  addKey(filter, idKey(id));
  addKey(filter, hashKey(hash));
};
