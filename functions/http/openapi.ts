import * as z from 'zod';
import { routes } from '../../contracts/routes';
import { WRITE_SCOPE } from '../../contracts/scopes';
import { Problem, schemas } from './schemas';

/** OpenAPI 3.1, generated from the route declaration and the zod schemas: nothing here is typed twice. */
let cached: unknown;

export const openApiDocument = (): unknown => {
  if (cached) return cached;
  const components = Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any' })]));
  const problem = { description: 'A problem (RFC 9457)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    const query = (route.query ?? []).map((q) => ({ name: q.name, in: 'query', required: false, description: q.description, schema: { type: 'string' } }));
    const success = route.produces
      ? Object.fromEntries(route.produces.map((type) => [type, { schema: { type: 'string' } }]))
      : { 'application/json': { schema: route.responseSchema ? { $ref: `#/components/schemas/${route.responseSchema}` } : { type: 'object' } } };
    paths[route.path] = {
      ...paths[route.path],
      [route.method.toLowerCase()]: {
        summary: route.summary,
        operationId: `${route.method.toLowerCase()}${route.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
        parameters: [...params, ...query, ...(route.auth ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } }] : [])],
        ...(route.requestSchema ? { requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${route.requestSchema}` } } } } } : {}),
        ...(route.auth ? { security: [{ jwt: [WRITE_SCOPE] }] } : {}),
        responses: {
          [route.method === 'GET' ? '200' : '201']: { description: 'Success', content: success },
          ...(route.method === 'GET' && route.produces ? { '304': { description: 'Not modified' } } : {}),
          ...(route.auth ? { '200': { description: 'Already applied: the original result', content: success }, '401': problem, '403': problem, '409': problem, '413': problem, '415': problem, '422': problem } : {}),
          '400': problem,
          '404': problem,
        },
      },
    };
  }
  cached = {
    openapi: '3.1.0',
    info: { title: 'Storyline', version: '1', description: 'An event-sourced news feed: stories as immutable events, projected into read models and feeds.' },
    paths,
    components: {
      schemas: { ...components, Problem: z.toJSONSchema(Problem) },
      securitySchemes: { jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: `A JWT with the ${WRITE_SCOPE} scope` } },
    },
  };
  return cached;
};
