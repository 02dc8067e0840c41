import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../../functions/adapters/event-store';

/** Small valid events for store and HTTP tests (the catalog fixtures live in fixtures.ts). */
export const storyOpened = (storyId: string, id: string = randomUUID()): NewEvent => ({
  id,
  type: 'StoryOpened',
  data: { storyId, title: `Story ${storyId}`, summary: 'A story for tests.', topics: ['diplomacy'] },
});

export const actorIdentified = (actorId: string, id: string = randomUUID()): NewEvent => ({
  id,
  type: 'ActorIdentified',
  data: { actorId, name: `Actor ${actorId}`, aliases: [], kind: 'person' },
});

export const metadata = { subject: 'test-editor', correlationId: 'test' };
