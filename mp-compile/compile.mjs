// Compiles a Mini Program's modules the way WeChat DevTools' "ES6 → ES5" does before the
// base library runs them: ES `import`/`export` become CommonJS (`require`, `exports`) with
// Babel's interop, and TypeScript loses its types (an `enum` becomes its object) — one
// sucrase pass for both. Sucrase keeps every line where it was; the columns it moves are
// returned as a small table so mp-sim can name the author's line:column in a stack trace.
//
// stdin:  {"<path>": "<source>", …}   (.ts files are TypeScript, the rest JavaScript)
// stdout: {"<path>": {"code": "<CommonJS>", "columns": {"<line>": [[generated, original], …]}}
//                  | {"error": "<path>:<line>:<column>: <why>"}, …}
import { readFileSync } from 'node:fs';
import { transform } from 'sucrase';
import { TraceMap, decodedMappings } from '@jridgewell/trace-mapping';

const sources = JSON.parse(readFileSync(0, 'utf8'));
const result = {};
for (const [path, text] of Object.entries(sources)) {
  const typescript = path.endsWith('.ts');
  try {
    const { code, sourceMap } = transform(text, {
      transforms: typescript ? ['typescript', 'imports'] : ['imports'],
      filePath: path,
      sourceMapOptions: { compiledFilename: path },
      // Chromium runs modern syntax; only modules and types need compiling.
      disableESTransforms: true,
      production: true,
    });
    result[path] = { code, columns: movedColumns(sourceMap) };
  } catch (error) {
    const at = error.loc ? `${error.loc.line}:${error.loc.column + 1}` : '1:1';
    const why = String(error.message).replace(/^Error transforming [^:]*: /, '').replace(/\s*\(\d+:\d+\)$/, '');
    result[path] = { error: `${path}:${at}: ${why}` };
  }
}
process.stdout.write(JSON.stringify(result));

/** Per line (1-based), the `[generated, original]` column pairs of a line whose tokens moved. */
function movedColumns(sourceMap) {
  const columns = {};
  decodedMappings(new TraceMap(sourceMap)).forEach((segments, line) => {
    const pairs = segments.filter((s) => s.length >= 4).map((s) => [s[0], s[3]]);
    if (pairs.some(([generated, original]) => generated !== original)) columns[line + 1] = pairs;
  });
  return columns;
}
