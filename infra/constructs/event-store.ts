import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, type IConstruct } from 'constructs';
import { eventsTable, snapshotsTable } from '../../contracts/tables';
import { indexArn, tableFromDefinition } from './dynamo-table';

/** What no role may ever do to the events table: the log is append-only in AWS as in code. */
export const EVENT_MUTATIONS = ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete'];

/** Reading events: a stream (Query), one item (GetItem), id records (BatchGetItem), the `streams` index. */
export const EVENT_READS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];

/**
 * Appending: TransactWriteItems is authorised per item, as dynamodb:PutItem for each Put (and
 * dynamodb:ConditionCheckItem for a ConditionCheck); the idempotency claim is a conditional PutItem.
 */
export const EVENT_APPENDS = ['dynamodb:PutItem', 'dynamodb:ConditionCheckItem'];

/** Snapshots are read whole (a Query of a partition) and written as new segments (BatchWriteItem) and a head (PutItem). */
export const SNAPSHOT_ACCESS = ['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem'];

/**
 * The event store: the append-only events table (keys, index and stream from contracts/tables.ts),
 * on-demand, with point-in-time recovery and deletion protection, kept when the stack goes; and beside
 * it the snapshots of decided state, a table with no stream that nothing needs (a story is its
 * events): no deletion protection, dropped with the stack.
 */
export class EventStore extends Construct {
  readonly table: dynamodb.Table;
  readonly snapshots: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = tableFromDefinition(this, 'Table', {
      definition: eventsTable,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.snapshots = tableFromDefinition(this, 'Snapshots', {
      definition: snapshotsTable,
      deletionProtection: false,
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  /** Read and write snapshots of decided state (the write API's). */
  grantSnapshots(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: SNAPSHOT_ACCESS, resourceArns: [this.snapshots.tableArn] });
  }

  /** Read events of any stream, and list streams through the `streams` index. */
  grantReadEvents(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: EVENT_READS,
      resourceArns: [this.table.tableArn, ...eventsTable.globalSecondaryIndexes.map((index) => indexArn(this.table, index.indexName))],
    });
  }

  /**
   * Append to the streams whose ids match these patterns (and to nothing else): the partition key of
   * every item written must match one of them (`dynamodb:LeadingKeys`), e.g. `story/*` and `$event/*`.
   */
  grantAppend(grantee: iam.IGrantable, streamIdPatterns: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: EVENT_APPENDS,
      resourceArns: [this.table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': streamIdPatterns } },
    });
  }

  /** The explicit Deny of every mutation of the events table, which no Allow anywhere can override. */
  denyMutations(role: iam.IRole): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EventsAreAppendOnly',
        effect: iam.Effect.DENY,
        actions: EVENT_MUTATIONS,
        resources: [this.table.tableArn],
      }),
    );
  }

  /** Adds the Deny to every IAM role in the stack: the functions' roles and the ones CDK made for us. */
  denyMutationsToEveryRole(scope: IConstruct): iam.Role[] {
    const roles = Stack.of(scope)
      .node.findAll()
      .filter((c): c is iam.Role => c instanceof iam.Role);
    for (const role of roles) this.denyMutations(role);
    return roles;
  }
}
