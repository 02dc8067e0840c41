import { RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { readModelsTable } from '../../contracts/tables';
import { indexArn, tableFromDefinition } from './dynamo-table';

const READ_MODEL_READS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
/**
 * What the projector writes: conditional puts, alone or in a TransactWriteItems (authorised per Put as
 * PutItem). It updates and deletes nothing; the rebuild's clean-up runs with the operator's
 * credentials (docs/deploy.md), not as a function.
 */
export const READ_MODEL_WRITES = ['dynamodb:PutItem'];

/**
 * The read-model table (keys and `list` index from infra/tables.ts). Everything in it is derived from
 * the events and can be rebuilt by replaying them, so it is not retained when the stack is deleted;
 * point-in-time recovery still makes a restore faster than a replay.
 */
export class ReadModels extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = tableFromDefinition(this, 'Table', {
      definition: readModelsTable,
      deletionProtection: false,
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  private resources(): string[] {
    return [this.table.tableArn, ...readModelsTable.globalSecondaryIndexes.map((index) => indexArn(this.table, index.indexName))];
  }

  grantRead(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: READ_MODEL_READS, resourceArns: this.resources() });
  }

  /** The projector's access: read, and write documents (version-guarded puts). */
  grantReadWrite(grantee: iam.IGrantable): iam.Grant {
    this.grantRead(grantee);
    return iam.Grant.addToPrincipal({ grantee, actions: READ_MODEL_WRITES, resourceArns: [this.table.tableArn] });
  }
}
