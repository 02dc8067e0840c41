import type { Shard } from '@aws-sdk/client-dynamodb-streams';

/**
 * Which shards to start polling: those not finished and not already polled whose parent is finished
 * (or no longer listed), so that a key's records are read in order across a shard split.
 */
export const shardsToStart = (shards: Shard[], isFinished: (shardId: string) => boolean, isActive: (shardId: string) => boolean): Shard[] => {
  const listed = new Set(shards.map((s) => s.ShardId));
  return shards.filter((shard) => {
    const id = shard.ShardId ?? '';
    if (!id || isFinished(id) || isActive(id)) return false;
    const parent = shard.ParentShardId;
    return !parent || !listed.has(parent) || isFinished(parent);
  });
};
