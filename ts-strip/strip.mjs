// Strips the types of TypeScript modules with ts-blank-space: every type annotation becomes
// blanks, so each remaining token keeps its line and column and a stack trace of the
// stripped code points into the .ts file as written.
//
// stdin: {"<path>": "<TypeScript source>", …}
// stdout: {"<path>": {"code": "<JavaScript>"} | {"error": "<path>:<line>:<col>: <why>"}, …}
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { blankSourceFile } from 'ts-blank-space';

const sources = JSON.parse(readFileSync(0, 'utf8'));
const result = {};
for (const [path, text] of Object.entries(sources)) {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.ESNext, true, ts.ScriptKind.TS);
  const where = (node) => {
    const { line, character } = file.getLineAndCharacterOfPosition(node.getStart(file));
    return `${path}:${line + 1}:${character + 1}`;
  };
  // The parser's own errors: the browser would only say "SyntaxError" without a file.
  const syntax = file.parseDiagnostics?.[0];
  if (syntax) {
    const { line, character } = file.getLineAndCharacterOfPosition(syntax.start ?? 0);
    result[path] = {
      error: `${path}:${line + 1}:${character + 1}: ${ts.flattenDiagnosticMessageText(syntax.messageText, ' ')}`,
    };
    continue;
  }
  const unsupported = [];
  const code = blankSourceFile(file, (node) => unsupported.push(node));
  result[path] = unsupported.length
    ? {
        error: `${where(unsupported[0])}: \`${unsupported[0].getText(file).split('\n')[0].slice(0, 60)}\` is TypeScript with a runtime meaning (an enum, a namespace, a constructor parameter property…), which cannot be stripped to JavaScript; write it in plain JavaScript`,
      }
    : { code };
}
process.stdout.write(JSON.stringify(result));
