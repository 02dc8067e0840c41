import { foldAll, type ProjectableEvent } from '../../events/projections';
import { isCollectionKey } from '../../events/projections/collections';
import { derivedFrom } from '../../events/projections/derived';
import type { ReadModelStore } from '../../functions/adapters/read-model-store';

/**
 * A projector that can be killed: a ReadModelStore wrapper that, once armed, lets a number of
 * writes through and then "kills the process" at the next one, either before that write reaches
 * DynamoDB or just after DynamoDB accepted it (the reply is lost). A killed projector can do
 * nothing more (every call throws) until it is revived, as a new Lambda instance would be.
 */

export class ProjectorKilledError extends Error {
  override readonly name = 'ProjectorKilledError';
}

export interface KillSwitch {
  readonly store: ReadModelStore;
  /** Kill at the write after `writes` more successful writes; `afterWrite`: the fatal write is stored first. */
  arm(writes: number, afterWrite?: boolean): void;
  disarm(): void;
  armed(): boolean;
  /** A fresh instance: the killed state is cleared (an armed kill stays armed). */
  revive(): void;
  dead(): boolean;
  kills(): number;
  writes(): number;
}

export const killableReadModels = (inner: ReadModelStore): KillSwitch => {
  let budget: number | undefined;
  let afterWrite = false;
  let isDead = false;
  let kills = 0;
  let writes = 0;
  const alive = () => {
    if (isDead) throw new ProjectorKilledError('the projector was killed');
  };
  const store: ReadModelStore = {
    generation: async () => (alive(), inner.generation()),
    get: async (key, generation) => (alive(), inner.get(key, generation)),
    getMany: async (keys, generation, options) => (alive(), inner.getMany(keys, generation, options)),
    getManyCurrent: async (keys, options) => (alive(), inner.getManyCurrent(keys, options)),
    readEntries: async (docs, wanted, generation) => (alive(), inner.readEntries(docs, wanted, generation)),
    getTimelineVersion: async (key, eventId, generation) => (alive(), inner.getTimelineVersion(key, eventId, generation)),
    putFresh: async (documents, generation, items) => (alive(), inner.putFresh(documents, generation, items)),
    switchGeneration: async (generation) => (alive(), inner.switchGeneration(generation)),
    schema: async () => (alive(), inner.schema()),
    dropGenerationsBefore: async (generation) => (alive(), inner.dropGenerationsBefore(generation)),
    put: async (write, generation) => {
      alive();
      if (budget !== undefined && budget-- <= 0) {
        budget = undefined;
        if (afterWrite) await inner.put(write, generation);
        isDead = true;
        kills++;
        throw new ProjectorKilledError(`the projector was killed ${afterWrite ? 'after' : 'before'} writing ${write.key}`);
      }
      await inner.put(write, generation);
      writes++;
    },
    writeItems: async (items, generation) => {
      alive();
      if (budget !== undefined && budget-- <= 0) {
        budget = undefined;
        // a crash amid the batch writes: some of the items are stored
        await inner.writeItems(afterWrite ? items : items.slice(0, Math.floor(items.length / 2)), generation);
        isDead = true;
        kills++;
        throw new ProjectorKilledError(`the projector was killed amid writing ${items.length} collection items`);
      }
      await inner.writeItems(items, generation);
      writes++;
    },
  };
  return {
    store,
    arm(n, after = false) {
      budget = n;
      afterWrite = after;
    },
    disarm() {
      budget = undefined;
    },
    armed: () => budget !== undefined,
    revive() {
      isDead = false;
    },
    dead: () => isDead,
    kills: () => kills,
    writes: () => writes,
  };
};

/** A collection's or a derived document without the fold's bookkeeping, which neither keeps (events/projections/collections.ts, derived.ts). */
const withoutBookkeeping = (key: string, value: unknown): unknown => {
  if ((!isCollectionKey(key) && derivedFrom(key) === undefined) || value === undefined) return value;
  const { applied: _applied, titleFrom: _titleFrom, passedOver: _passedOver, ...rest } = value as Record<string, unknown>;
  return rest;
};

/**
 * The read models equal a pure fold of the events: every document foldAll makes is stored with a
 * deep-equal value (a collection's as its items assemble it, a derived one as it is derived, bookkeeping aside).
 */
export const expectReadModelsToEqualFold = async (readModels: ReadModelStore, log: readonly ProjectableEvent[], generation?: number): Promise<number> => {
  const expected = foldAll(log);
  const keys = [...expected.keys()];
  const stored = await readModels.getMany(keys, generation);
  for (const [key, value] of expected) expect({ key, value: withoutBookkeeping(key, stored.get(key)?.value) }).toEqual({ key, value: withoutBookkeeping(key, value) });
  return expected.size;
};
