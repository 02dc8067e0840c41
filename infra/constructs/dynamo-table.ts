import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { KeyDefinition, TableDefinition } from '../../contracts/tables';

/**
 * A DynamoDB table built from its one definition in infra/tables.ts: keys, indexes and stream come
 * from there (as they do for DynamoDB Local), only the AWS-specific durability settings from here.
 */
export interface DefinedTableProps {
  definition: TableDefinition;
  removalPolicy: RemovalPolicy;
  deletionProtection: boolean;
}

const attribute = (key: KeyDefinition): dynamodb.Attribute => ({
  name: key.name,
  type: key.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
});

const streamViewType = { NEW_IMAGE: dynamodb.StreamViewType.NEW_IMAGE } as const;

export const tableFromDefinition = (scope: Construct, id: string, { definition, removalPolicy, deletionProtection }: DefinedTableProps): dynamodb.Table => {
  const table = new dynamodb.Table(scope, id, {
    partitionKey: attribute(definition.partitionKey),
    ...(definition.sortKey ? { sortKey: attribute(definition.sortKey) } : {}),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    ...(definition.stream ? { stream: streamViewType[definition.stream] } : {}),
    ...(definition.timeToLiveAttribute ? { timeToLiveAttribute: definition.timeToLiveAttribute } : {}),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection,
    removalPolicy,
  });
  for (const index of definition.globalSecondaryIndexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.indexName,
      partitionKey: attribute(index.partitionKey),
      ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
      // the same projection as the local CreateTable input (infra/table-schema.ts)
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }
  return table;
};

/** The ARN of one named index of a table (grants name the index, never `index/*`). */
export const indexArn = (table: dynamodb.ITable, indexName: string): string => `${table.tableArn}/index/${indexName}`;
