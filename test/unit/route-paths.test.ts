import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import * as ts from 'typescript';
import { routes } from '../../contracts/routes';

/**
 * Every URL Storyline writes is built from the route declaration (contracts/routes.ts) through
 * functions/links.ts. This finds a route path written by hand anywhere else in the code that runs
 * (events/, contracts/, functions/, infra/, bin/): a string or template text that starts a path with
 * the first segment of a declared route (`/stories`, `/feed.rss`, `/desk`...). Route keys of handler
 * tables (`'GET /stories/{storyId}'`) name a declared route and are matched against it, so they pass.
 */

const ROOT = resolve(__dirname, '../..');
const SOURCE_DIRS = ['events', 'contracts', 'functions', 'infra', 'bin'];
const ALLOWED = new Set(['contracts/routes.ts', 'functions/links.ts']);

const sourceFiles = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path.split(sep).join('/')] : [];
  });

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The first segments of the declared routes: `stories`, `feed.rss`, `feeds.opml`, `desk`, `subscriptions`... */
const SEGMENTS = [...new Set(routes.map((route) => route.path.split('/')[1] ?? '').filter(Boolean))];
/**
 * A word (text between spaces, quotes, `=`, `(`, `<`, `>`) that is a path starting with one of them,
 * alone or after a substitution (`${base}/stories/...`, shown as `{}`). A key such as
 * `story/${id}/actors` starts with a word, not a slash, so it is no path.
 */
const PATH_WORD = new RegExp(`^(?:\\{\\})?/(?:${SEGMENTS.map(escape).join('|')})(?=$|[/?#{.])`);
const ROUTE_KEY = /^(?:GET|PUT|POST|DELETE) \/\S*$/;
const isHandBuilt = (text: string) => !ROUTE_KEY.test(text) && text.split(/[\s"'=(<>,]+/).some((word) => PATH_WORD.test(word));

/** A literal's text; a template's with each substitution as `{}`. */
const textOf = (node: ts.Node): string | undefined => {
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((span) => `{}${span.literal.text}`).join('');
  if (!ts.isStringLiteralLike(node)) return undefined;
  // an import's module name is a path, but not a URL
  return ts.isImportDeclaration(node.parent) || ts.isExportDeclaration(node.parent) || ts.isExternalModuleReference(node.parent) ? undefined : node.text;
};

/** The string and template literals of a source that hold a hand-built route path, with their lines. */
const handBuiltPaths = (file: string, text: string): string[] => {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    const literal = textOf(node);
    if (literal !== undefined && isHandBuilt(literal)) found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${JSON.stringify(literal)}`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
};

describe('route paths', () => {
  it('knows the first segments of the declared routes', () => {
    expect(SEGMENTS).toEqual(expect.arrayContaining(['stories', 'feed.rss', 'feeds.opml', 'topics', 'actors', 'digests', 'desk', 'subscriptions', 'openapi.json', 'health']));
  });

  it('finds a path written by hand, in a string or a template', () => {
    const sample = [
      "const a = '/stories/' + id;",
      'const b = `${base}/topics/${topic}/feed.rss`;',
      'const c = `<a href="/desk/stories/${id}">`;',
      "const d = '/feed.json';",
      "const e = `${subscriptionsUrl}?token=${t}`;",
      "const f = { 'GET /stories/{storyId}': handler };",
      "import { x } from '../stories/helpers';",
      "const g = 'the /storyline folder, text/html, https://example.org/stories-of-old';",
      'const h = `story/${storyId}/actors`;',
      'const i = `curl ${base}/health`;',
    ].join('\n');
    expect(handBuiltPaths('sample.ts', sample)).toEqual([
      'sample.ts:1: "/stories/"',
      'sample.ts:2: "{}/topics/{}/feed.rss"',
      'sample.ts:3: "<a href=\\"/desk/stories/{}\\">"',
      'sample.ts:4: "/feed.json"',
      'sample.ts:10: "curl {}/health"',
    ]);
  });

  it('are built only in contracts/routes.ts and functions/links.ts', () => {
    const files = SOURCE_DIRS.flatMap(sourceFiles);
    expect(files).toEqual(expect.arrayContaining([...ALLOWED, 'functions/handlers/feeds.ts']));
    const found = files.filter((file) => !ALLOWED.has(file)).flatMap((file) => handBuiltPaths(file, readFileSync(join(ROOT, file), 'utf8')));
    expect(found).toEqual([]);
  });

  it('finds the paths that contracts/routes.ts writes, so it would find them anywhere', () => {
    expect(handBuiltPaths('contracts/routes.ts', readFileSync(join(ROOT, 'contracts/routes.ts'), 'utf8')).length).toBeGreaterThan(10);
  });
});
