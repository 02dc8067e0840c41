import * as z from 'zod/mini';
import { routes } from '../../contracts/routes';
import { WRITE_SCOPE } from '../../contracts/scopes';
import { schemas } from './schemas';

/** OpenAPI 3.1, generated from the route declaration and the zod schemas: nothing here is typed twice. */
// (not a bounded cache: the document is a constant of the code, computed once per instance, nothing to evict)
let cached: unknown;

/** A schema as a JSON Schema (2020-12, OpenAPI 3.1's dialect) for the components; the dialect is said once, at the top. */
const jsonSchemaOf = (schema: z.ZodMiniType): Record<string, unknown> => {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  return json;
};

/** The schema of a success body: the route's JSON schema, any JSON document for other JSON types (JSON Feed), text otherwise. */
const bodySchema = (contentType: string, responseSchema: string | undefined): Record<string, unknown> => {
  if (contentType === 'application/json') {
    if (!responseSchema || !(responseSchema in schemas)) throw new Error(`a JSON route must name its response schema (got ${String(responseSchema)})`);
    return { $ref: `#/components/schemas/${responseSchema}` };
  }
  return contentType.endsWith('+json') ? { type: 'object' } : { type: 'string' };
};

export const openApiDocument = (): unknown => {
  if (cached) return cached;
  const components = Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, jsonSchemaOf(schema)]));
  const problem = { description: 'A problem (RFC 9457)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
  const tooMany = { ...problem, description: 'Too many requests: retry after the Retry-After header' };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    const query = (route.query ?? []).map((q) => ({ name: q.name, in: 'query', required: false, description: q.description, schema: { type: 'string' } }));
    const success = Object.fromEntries((route.produces ?? ['application/json']).map((type) => [type, { schema: bodySchema(type, route.responseSchema) }]));
    paths[route.path] = {
      ...paths[route.path],
      [route.method.toLowerCase()]: {
        summary: route.summary,
        operationId: `${route.method.toLowerCase()}${route.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
        parameters: [...params, ...query, ...(route.auth ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } }] : [])],
        ...(route.requestSchema ? { requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${route.requestSchema}` } } } } } : {}),
        ...(route.auth ? { security: [{ jwt: [WRITE_SCOPE] }] } : {}),
        responses: {
          [String(route.successStatus ?? (route.method === 'GET' ? 200 : 201))]: { description: 'Success', ...(Object.keys(success).length ? { content: success } : {}) },
          ...Object.fromEntries((route.problems ?? []).map((status) => [String(status), status === 429 ? tooMany : problem])),
          ...(route.method === 'GET' && route.produces ? { '304': { description: 'Not modified' } } : {}),
          ...(route.auth ? { '200': { description: 'Already applied: the original result', content: success }, '401': problem, '403': problem, '409': problem, '413': problem, '415': problem, '422': problem } : {}),
          '400': problem,
          '404': problem,
          '500': problem,
          '503': { ...problem, description: 'The store is busy or unavailable: retry after the Retry-After header' },
        },
      },
    };
  }
  cached = {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: { title: 'Storyline', version: '1', description: 'An event-sourced news feed: stories as immutable events, projected into read models and feeds.' },
    paths,
    components: {
      schemas: components,
      securitySchemes: { jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: `A JWT with the ${WRITE_SCOPE} scope` } },
    },
  };
  return cached;
};
