import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * SDK middleware for the DynamoDB clients the code under test builds itself (the handlers build
 * theirs when loaded, so a test cannot pass middleware in). Tests count requests with it (step
 * initialize, so that the request can ask for its consumed capacity) and inject faults DynamoDB
 * Local cannot produce (step finalizeRequest, after the SDK's retry middleware, so that the SDK's
 * own retries see them).
 *
 * `DynamoDBClient.prototype.send` is wrapped once: a client's first request adds what is registered
 * at that moment to the client's own middleware stack. A client that sent before a registration never
 * gets it; a registration taken out again passes every request straight through.
 */

type Middleware = (next: (args: any) => Promise<any>, context: any) => (args: any) => Promise<any>;

export interface ClientMiddleware {
  name: string;
  middleware: Middleware;
  /** Default finalizeRequest. */
  step?: 'initialize' | 'finalizeRequest';
}

const registered = new Set<ClientMiddleware>();
const started = new WeakSet<DynamoDBClient>();

const addRegistered = (client: DynamoDBClient): void => {
  started.add(client);
  for (const entry of registered) {
    const { middleware, name, step = 'finalizeRequest' } = entry;
    const passable: Middleware = (next, context) => {
      const wrapped = middleware(next, context);
      return (args) => (registered.has(entry) ? wrapped(args) : next(args));
    };
    client.middlewareStack.add(passable as never, { step: step as 'finalizeRequest', name, priority: 'low' });
  }
};

// at load, before any client sends: one that sent earlier would take up what is registered after it
const prototype = DynamoDBClient.prototype as unknown as { send: (this: DynamoDBClient, ...args: unknown[]) => unknown };
const send = prototype.send;
prototype.send = function (...args) {
  if (!started.has(this)) addRegistered(this);
  return send.apply(this, args);
};

/** Adds `entry` to every DynamoDB client whose first request comes after this call; returns what takes it out again. */
export const addClientMiddleware = (entry: ClientMiddleware): (() => void) => {
  registered.add(entry);
  return () => {
    registered.delete(entry);
  };
};
