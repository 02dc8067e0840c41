import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { routeKey, routes } from '../../../contracts/routes';
import { handlerEntry, type HandlerName } from '../../../infra/constructs/storyline-function';
import { digestSchedules } from '../../../contracts/schedules';
import { cronExpression } from '../../../infra/cron';
import { createTableInput } from '../../../infra/table-schema';
import { tables, type TableDefinition } from '../../../contracts/tables';
import { cleanUpSynth, FULL_SETTINGS, logicalIdOf, resourcesOfType, SYNTH_TIMEOUT, synthStoryline, type Synthesized } from '../../support/synth';

/**
 * Parity between AWS and the local runtime (issue 6, item 6): the local runtime serves `routes`,
 * creates its tables with `createTableInput(tables...)` and fires `digestSchedules`. Every route,
 * table, index and schedule it has must exist in the template, and the template must have nothing
 * the local runtime lacks.
 */

let synth: Synthesized;
beforeAll(() => {
  synth = synthStoryline();
}, SYNTH_TIMEOUT);
afterAll(cleanUpSynth);

const sorted = <T>(values: Iterable<T>): T[] => [...values].sort();

describe('routes', () => {
  const templateRoutes = () => Object.values(resourcesOfType(synth.json, 'AWS::ApiGatewayV2::Route')).map((r) => r.Properties);

  it('are the declared routes, and $default, in both directions', () => {
    expect(sorted(templateRoutes().map((r) => r.RouteKey))).toEqual(sorted([...routes.map(routeKey), '$default']));
  });

  it('each reach the function of the handler they declare; $default reaches not-found', () => {
    const functionOfIntegration = new Map(
      Object.entries(resourcesOfType(synth.json, 'AWS::ApiGatewayV2::Integration')).map(([id, integration]) => [id, integration.Properties.IntegrationUri['Fn::GetAtt'][0] as string]),
    );
    const handlerOfFunction = new Map(Object.entries(synth.stack.functions).map(([name, fn]) => [logicalIdOf(synth.stack, fn.function), name]));
    const handlerOfRoute = (key: string) => {
      const route = templateRoutes().find((r) => r.RouteKey === key)!;
      const integrationId = (route.Target['Fn::Join'][1] as unknown[]).map((part) => (typeof part === 'string' ? '' : (part as { Ref: string }).Ref)).join('');
      return handlerOfFunction.get(functionOfIntegration.get(integrationId) ?? '');
    };
    for (const route of routes) expect({ route: routeKey(route), handler: handlerOfRoute(routeKey(route)) }).toEqual({ route: routeKey(route), handler: route.handler });
    expect(handlerOfRoute('$default')).toBe('not-found');
  });
});

describe('tables and indexes', () => {
  const templateTables = () => Object.values(resourcesOfType(synth.json, 'AWS::DynamoDB::Table')).map((t) => t.Properties);
  const sortedAttributes = (attributes: { AttributeName?: string; AttributeType?: string }[]) => [...attributes].sort((a, b) => String(a.AttributeName).localeCompare(String(b.AttributeName)));

  it.each(tables.map((t) => [t.id, t] as const))('%s has the keys, indexes and stream the local runtime creates it with', (_id, definition) => {
    const local = createTableInput(definition, 'local');
    // key names alone can match two tables (pk/sk): the key types tell them apart
    const table = templateTables().find(
      (t) => JSON.stringify(t.KeySchema) === JSON.stringify(local.KeySchema) && JSON.stringify(sortedAttributes(t.AttributeDefinitions)) === JSON.stringify(sortedAttributes(local.AttributeDefinitions ?? [])),
    );
    expect(table).toBeDefined();
    expect(sortedAttributes(table!.AttributeDefinitions)).toEqual(sortedAttributes(local.AttributeDefinitions ?? []));
    expect(table!.BillingMode).toBe(local.BillingMode);
    expect(table!.GlobalSecondaryIndexes ?? []).toEqual(local.GlobalSecondaryIndexes ?? []);
    expect(table!.StreamSpecification?.StreamViewType).toBe(local.StreamSpecification?.StreamViewType);
    expect(table!.TimeToLiveSpecification?.AttributeName).toBe((definition as TableDefinition).timeToLiveAttribute);
  });

  it('are the declared tables and indexes, and no others', () => {
    expect(templateTables()).toHaveLength(tables.length);
    const indexes = (list: { GlobalSecondaryIndexes?: { IndexName?: string }[] }[]) => sorted(list.flatMap((t) => (t.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName)));
    expect(indexes(templateTables())).toEqual(indexes(tables.map((t) => createTableInput(t, t.id))));
  });
});

describe('digest schedules', () => {
  it('are the declared schedules (cron, timezone, period), in both directions', () => {
    const inTemplate = Object.values(resourcesOfType(synth.json, 'AWS::Scheduler::Schedule')).map(({ Properties: p }) => ({
      expression: p.ScheduleExpression,
      timezone: p.ScheduleExpressionTimezone,
      period: JSON.parse(p.Target.Input).period,
    }));
    const declared = digestSchedules.map((s) => ({ expression: cronExpression(s), timezone: s.timezone, period: s.period }));
    const key = (s: { period: string }) => s.period;
    expect([...inTemplate].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...declared].sort((a, b) => key(a).localeCompare(key(b))));
  });
});

describe('handlers', () => {
  it('every handler module in functions/handlers is deployed as a function (with every option on), and every function has one', () => {
    const modules = readdirSync(dirname(handlerEntry('not-found')))
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .map((file) => file.replace(/\.ts$/, '') as HandlerName);
    expect(sorted(Object.keys(synthStoryline(FULL_SETTINGS).stack.functions))).toEqual(sorted(modules));
  });
});
