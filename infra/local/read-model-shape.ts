import { READ_MODEL_SCHEMA } from '../../events/projections';
import type { EventStore } from '../../functions/adapters/event-store';
import type { ReadModelStore } from '../../functions/adapters/read-model-store';
import { createProjector } from '../../functions/projector';
import { rebuildReadModels, type RebuildResult } from '../../functions/rebuild';

/**
 * On start, the local runtime compares the shape of the stored read models (recorded with the
 * generation pointer) with the shape this code writes, and rebuilds them from the events table
 * when they are older, before anything reads or projects into them. In AWS the same rebuild is
 * run by hand after such a deploy (docs/deploy.md).
 */
export const rebuildOlderShape = async (events: EventStore, readModels: ReadModelStore): Promise<{ from: number | undefined; rebuilt: RebuildResult } | undefined> => {
  const from = await readModels.schema();
  if (from === READ_MODEL_SCHEMA) return undefined;
  return { from, rebuilt: await rebuildReadModels({ events, readModels, projector: createProjector(events, readModels) }) };
};
