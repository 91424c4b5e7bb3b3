import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'esbuild';
import { loadOpenApiDocument } from '../../server/openapi-document.js';

// esbuild plugins of the Lambda bundle (scripts/build/lambda-bundle.ts) that change how code loads at a cold
// start, never what it does.

/** Keys that only document (validation never reads them), unless they name a property (`properties.description`). */
const annotationKeys = new Set(['description', 'summary', 'example', 'examples', 'externalDocs']);

function stripAnnotations(node: unknown, parentKey?: string): unknown {
  if (Array.isArray(node)) return node.map((item) => stripAnnotations(item));
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => parentKey === 'properties' || !annotationKeys.has(key))
      .map(([key, value]) => [key, stripAnnotations(value, key)]),
  );
}

/**
 * Replaces server/openapi-document.ts with the parsed spec as a JSON string (JSON.parse beats an object literal),
 * without its prose and examples: on Lambda the object only feeds request validation. The zip carries no
 * openapi.yaml, so the bundle cannot run without this one.
 */
export const inlineOpenApiDocument: Plugin = {
  name: 'inline-openapi-document',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]server[\\/]openapi-document\.ts$/ }, () => ({
      loader: 'js',
      contents: `const text = ${JSON.stringify(JSON.stringify(stripAnnotations(loadOpenApiDocument())))};
export function loadOpenApiDocument() { return JSON.parse(text); }`,
    }));
  },
};

/** `nbhd:openapi-yaml-text`: openapi.yaml's own text, gzipped, for the yaml shim to serve on GET /openapi.yaml. */
export function provideOpenApiYamlText(repoRoot: string): Plugin {
  return {
    name: 'openapi-yaml-text',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^nbhd:openapi-yaml-text$/ }, () => ({
        path: 'openapi-yaml-text',
        namespace: 'nbhd',
      }));
      pluginBuild.onLoad({ filter: /.*/, namespace: 'nbhd' }, async () => ({
        loader: 'js',
        contents: `export const openApiYamlGzipBase64 = ${JSON.stringify(gzipSync(await readFile(`${repoRoot}openapi.yaml`), { level: 9 }).toString('base64'))};`,
      }));
    },
  };
}

/**
 * mime-db's full table is 150 KiB per copy; mime-types only reads entries with file extensions (lookup by
 * extension) or a charset (Content-Type charset), so the bundle keeps just those: same answers, half the size.
 */
export const trimMimeDb: Plugin = {
  name: 'trim-mime-db',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]mime-db[\\/]db\.json$/ }, async ({ path }) => {
      const db = JSON.parse(await readFile(path, 'utf8')) as Record<
        string,
        { extensions?: string[]; charset?: string }
      >;
      const kept = Object.entries(db).filter(([, entry]) => entry.extensions || entry.charset);
      // A JSON string for JSON.parse, not an object literal: V8 scans a string literal far faster than it parses
      // (and, inside esbuild's CommonJS wrapper, pre-parses then re-parses) 70 KiB of object literal.
      const json = JSON.stringify(Object.fromEntries(kept));
      return { loader: 'js', contents: `module.exports = JSON.parse(${JSON.stringify(json)});` };
    });
  },
};

/**
 * mime-types fills its extension → type maps from all of mime-db when required (~1,000 entries, a few ms of every
 * cold start), though the API only asks for charsets of full types (res.json, res.type('application/…')). The
 * bundle fills them on first use instead: `types` and `extensions` become getters over the same maps, same answers.
 */
export const lazyMimeMaps: Plugin = {
  name: 'lazy-mime-maps',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]node_modules[\\/]mime-types[\\/]index\.js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const eager = [
        'exports.extensions = Object.create(null)\n',
        'exports.types = Object.create(null)\n',
        'populateMaps(exports.extensions, exports.types)\n',
      ];
      if (eager.some((line) => !source.includes(line))) {
        throw new Error(`${path} changed: review the lazy-mime-maps plugin`);
      }
      const lazy = `var maps
function getMaps () {
  if (!maps) {
    maps = { extensions: Object.create(null), types: Object.create(null) }
    populateMaps(maps.extensions, maps.types)
  }
  return maps
}
Object.defineProperty(exports, 'extensions', { enumerable: true, get: function () { return getMaps().extensions } })
Object.defineProperty(exports, 'types', { enumerable: true, get: function () { return getMaps().types } })
`;
      const contents = eager.reduce((text, line, index) => text.replace(line, index === 2 ? lazy : ''), source);
      return { loader: 'js', contents };
    });
  },
};

/**
 * `import { request } from 'node:http'` (or the AWS SDK's `await import('node:http')` for an http:// endpoint) makes
 * Node build the built-in's ESM facade, which reads every export once — and that runs Node's lazy getters:
 * node:http's loads Node's internal undici (fetch, WebSocket) and node:fs's its streams,
 * though the bundle uses neither. Bundled code gets Node built-ins through `require` instead (as CommonJS code
 * already does): esbuild's interop reads an export only when it is used.
 */
export const requireNodeBuiltins: Plugin = {
  name: 'require-node-builtins',
  setup(pluginBuild) {
    const names = builtinModules.filter((name) => !name.startsWith('_')).map((name) => name.replace(/^node:/, ''));
    const filter = new RegExp(`^(node:)?(${names.map((name) => name.replace(/[/]/g, '\\/')).join('|')})$`);
    pluginBuild.onResolve({ filter }, (args) =>
      args.kind === 'import-statement' || args.kind === 'dynamic-import'
        ? { path: args.path.replace(/^node:/, ''), namespace: 'node-builtin' }
        : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({
      loader: 'js',
      contents: `module.exports = require(${JSON.stringify(`node:${args.path}`)});`,
    }));
  },
};
