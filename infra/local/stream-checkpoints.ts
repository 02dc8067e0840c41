import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBRecord } from 'aws-lambda';

/**
 * Where the local stream runner keeps its place, in `stateDir`: the last settled sequence number of
 * each shard and the shards read to their end (stream-checkpoints.json, replaced atomically), and the
 * dead letters (dead-letter/, one JSON file per record given up on: the on-failure destination).
 * Checkpoints of another stream (the table was recreated) are ignored.
 */
export const openCheckpoints = (stateDir: string, streamArn: string) => {
  mkdirSync(stateDir, { recursive: true });
  const file = join(stateDir, 'stream-checkpoints.json');
  const read = (): Record<string, string> => {
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { streamArn?: string; shards?: Record<string, string> };
      return saved.streamArn === streamArn ? (saved.shards ?? {}) : {};
    } catch {
      return {};
    }
  };
  const shards = read();
  const save = () => {
    const temp = `${file}.tmp`;
    writeFileSync(temp, JSON.stringify({ streamArn, shards }, null, 1));
    renameSync(temp, file);
  };
  // the records of a batch settle one by one in the same turn: the file is written once for them
  let saving = false;
  const saveSoon = () => {
    if (saving) return;
    saving = true;
    queueMicrotask(() => {
      saving = false;
      save();
    });
  };
  return {
    /** The sequence number to read after, if any. */
    after: (shardId: string): string | undefined => shards[shardId] || undefined,
    advance(shardId: string, sequenceNumber: string) {
      shards[shardId] = sequenceNumber;
      saveSoon();
    },
    finished: (shardId: string) => shards[`done:${shardId}`] === '1',
    finish(shardId: string) {
      shards[`done:${shardId}`] = '1';
      save();
    },
  };
};

export const deadLetterFolder = (stateDir: string) => join(stateDir, 'dead-letter');

/** Writes one dead letter; answers its file. */
export const writeDeadLetter = (stateDir: string, letter: { reason: string; streamArn: string; shardId: string; record: DynamoDBRecord }): string => {
  const dir = deadLetterFolder(stateDir);
  mkdirSync(dir, { recursive: true });
  const seq = letter.record.dynamodb?.SequenceNumber ?? 'unknown';
  const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${letter.shardId.slice(-12)}-${seq}.json`);
  const { reason, streamArn, shardId, record } = letter;
  writeFileSync(file, JSON.stringify({ reason, streamArn, shardId, sequenceNumber: seq, keys: record.dynamodb?.Keys, record }, null, 2));
  return file;
};
