import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { routes } from '../../contracts/routes';
import { openApiDocument } from '../../functions/http/openapi';
import { compileRoute } from '../../functions/http/route-matching';

/**
 * Checks an HTTP response against /openapi.json (the document the API serves, generated from the
 * route declaration and the zod schemas): its status must be declared for the route, its content
 * type among those declared for that status, and a JSON body must validate against the declared
 * JSON Schema (draft 2020-12). Requests no route serves (404/405 from the gateway) are not checked.
 */

interface OperationDocument {
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
const document = openApiDocument() as { paths: Record<string, Record<string, OperationDocument>>; components: unknown };

const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema({ $id: 'urn:storyline:openapi', components: document.components });
const validators = new Map<string, ValidateFunction>();
const validatorFor = (schema: unknown): ValidateFunction => {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    // the document's references are relative to its root: resolve them in the document added above
    validate = ajv.compile(JSON.parse(key.replace(/"#\/components\//g, '"urn:storyline:openapi#/components/')) as object);
    validators.set(key, validate);
  }
  return validate;
};

const compiled = routes.map(compileRoute);

/** What is wrong with this response by the OpenAPI document (empty when nothing is). */
export const openApiMismatches = (method: string, url: string, status: number, contentType: string | null, body: string): string[] => {
  const path = new URL(url, 'http://localhost').pathname;
  const route = compiled.find((c) => c.route.method === method.toUpperCase() && c.match(path) !== undefined)?.route;
  if (!route) return [];
  const operation = document.paths[route.path]?.[method.toLowerCase()];
  const where = `${method} ${path} (${route.path}) answered ${status}`;
  const declared = operation?.responses[String(status)];
  if (!declared) return [`${where}, a status the OpenAPI document does not declare (${Object.keys(operation?.responses ?? {}).join(', ')})`];
  if (!declared.content) return body === '' ? [] : [`${where} with a body, where the document declares none`];
  const type = (contentType ?? '').split(';')[0]?.trim() ?? '';
  const media = declared.content[type];
  if (!media) return [`${where} as ${type || 'no content type'}, not one the document declares (${Object.keys(declared.content).join(', ')})`];
  if (!/^application\/([a-z.+-]+\+)?json$/.test(type)) return [];
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return [`${where} with a body that is not JSON, as ${type}`];
  }
  const validate = validatorFor(media.schema);
  if (validate(json)) return [];
  return (validate.errors ?? []).slice(0, 10).map((e) => `${where}: ${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
};

/** Throws, failing the test that made the request, when a response differs from the OpenAPI document. */
export const assertMatchesOpenApi = (method: string, url: string, status: number, contentType: string | null, body: string): void => {
  const mismatches = openApiMismatches(method, url, status, contentType, body);
  if (mismatches.length) throw new Error(`the response differs from /openapi.json:\n${mismatches.join('\n')}`);
};

/** `fetch`, with the response checked against the OpenAPI document. */
export const checkedFetch = async (url: string, init: RequestInit = {}): Promise<Response> => {
  const res = await fetch(url, init);
  assertMatchesOpenApi(init.method ?? 'GET', url, res.status, res.headers.get('content-type'), await res.clone().text());
  return res;
};
