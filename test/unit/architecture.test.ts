import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

/**
 * The layers, checked on the import graph that the TypeScript compiler resolves (type-only imports,
 * re-exports and dynamic imports included): `events/` (pure) <- `contracts/` <- `functions/` <- `infra/`,
 * no import cycle among the repository's own files, and handlers of at most 70 lines.
 */

const ROOT = resolve(__dirname, '../..');
const SOURCE_DIRS = ['events', 'contracts', 'functions', 'infra', 'test', 'bin'];
const MAX_HANDLER_LINES = 70;

const sourceFiles = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path.split(sep).join('/')] : [];
  });

const options = ts.parseJsonConfigFileContent(ts.readConfigFile(join(ROOT, 'tsconfig.json'), (path) => ts.sys.readFile(path)).config, ts.sys, ROOT).options;

interface Imports {
  /** Repository files this file imports (paths relative to the root). */
  own: string[];
  /** Module names that resolve outside the repository (packages, node built-ins). */
  external: string[];
}

const importsOf = (file: string): Imports => {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const { importedFiles } = ts.preProcessFile(text, true, true);
  const own: string[] = [];
  const external: string[] = [];
  for (const { fileName: specifier } of importedFiles) {
    const resolved = ts.resolveModuleName(specifier, join(ROOT, file), options, ts.sys).resolvedModule;
    const target = resolved ? relative(ROOT, resolved.resolvedFileName).split(sep).join('/') : undefined;
    if (!resolved || resolved.isExternalLibraryImport || target === undefined || target.startsWith('..') || target.includes('node_modules/')) external.push(specifier);
    else own.push(target);
  }
  return { own, external };
};

/** Whether the file reads `process.env` (as `process.env.X`, `process.env[...]` or `process['env']`). */
const readsProcessEnv = (file: string): boolean => {
  const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    const isProcess = (e: ts.Expression) => ts.isIdentifier(e) && e.text === 'process';
    if (ts.isPropertyAccessExpression(node) && isProcess(node.expression) && node.name.text === 'env') found = true;
    else if (ts.isElementAccessExpression(node) && isProcess(node.expression) && ts.isStringLiteralLike(node.argumentExpression) && node.argumentExpression.text === 'env') found = true;
    else ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
};

const files = SOURCE_DIRS.flatMap(sourceFiles);
const graph = new Map(files.map((file) => [file, importsOf(file)]));
const layerOf = (file: string) => file.split('/')[0] ?? '';

/** Every import of a file in `from` that resolves to a file in one of `to`, as `importer -> imported`. */
const crossings = (from: string, to: string[]): string[] =>
  [...graph].filter(([file]) => layerOf(file) === from).flatMap(([file, { own }]) => own.filter((target) => to.includes(layerOf(target))).map((target) => `${file} -> ${target}`));

/** Strongly connected components with more than one file, or a file that imports itself (Tarjan). */
const cycles = (): string[][] => {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter);
    counter += 1;
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file)?.own ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        connect(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || graph.get(file)?.own.includes(file)) found.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) connect(file);
  return found;
};

describe('the layers of the code', () => {
  it('finds the files and resolves their imports with the compiler', () => {
    expect(files).toContain('functions/handlers/feeds.ts');
    expect(graph.get('functions/handlers/feeds.ts')?.own).toContain('contracts/routes.ts');
    // a type-only import is an edge too
    expect(graph.get('events/projections/projection.ts')?.own.length).toBeGreaterThan(0);
  });

  it('keeps infra/ out of functions/, events/ and contracts/', () => {
    expect([...crossings('functions', ['infra']), ...crossings('events', ['infra']), ...crossings('contracts', ['infra'])]).toEqual([]);
  });

  it('keeps functions/ out of events/ and contracts/', () => {
    expect([...crossings('events', ['functions']), ...crossings('contracts', ['functions'])]).toEqual([]);
  });

  it('keeps the domain (events/) free of AWS SDKs and of process.env', () => {
    const domain = files.filter((file) => layerOf(file) === 'events');
    const sdkImports = domain.flatMap((file) => graph.get(file)!.external.filter((name) => /^(@aws-sdk\/|aws-sdk$|@aws-lambda-powertools\/|aws-lambda$)/.test(name)).map((name) => `${file} -> ${name}`));
    expect(sdkImports).toEqual([]);
    expect(domain.filter(readsProcessEnv)).toEqual([]);
  });

  it('keeps every handler in functions/handlers/ at most 70 lines', () => {
    const long = files
      .filter((file) => file.startsWith('functions/handlers/'))
      .map((file) => ({ file, lines: readFileSync(join(ROOT, file), 'utf8').replace(/\n$/, '').split('\n').length }))
      .filter(({ lines }) => lines > MAX_HANDLER_LINES);
    expect(long).toEqual([]);
  });

  it('has no import cycle among the repository files, type-only imports included', () => {
    expect(cycles()).toEqual([]);
  });
});
