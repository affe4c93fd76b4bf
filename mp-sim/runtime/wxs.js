// WXS: the script WXML runs in the view layer (`<wxs module="m" src="./m.wxs"/>` or code
// inline), with WXS's own rules rather than the page's: its own CommonJS (`require` of
// `.wxs` files only, relative), `getRegExp` and `getDate` instead of `RegExp` and `Date`, and
// no access to the logic layer (`wx`, `getApp`, the page's modules, the browser).

import { resolvePath } from './loader.js';

/** Names WXS code cannot see, as in WeChat's view layer. */
const HIDDEN = [
  'wx', 'App', 'Page', 'Component', 'Behavior', 'getApp', 'getCurrentPages', 'window', 'document',
  'globalThis', 'self', 'fetch', 'XMLHttpRequest', 'setTimeout', 'setInterval', 'Date', 'RegExp',
  'Function', 'eval', 'localStorage', 'location', 'navigator',
];

/**
 * What `value.constructor` is in WXS: the type's name as a string (`[].constructor ===
 * 'Array'`), which libraries test instead of `Array.isArray`.
 */
export function wxsConstructor(value) {
  if (value === null || value === undefined) throw new TypeError(`Cannot read property 'constructor' of ${value}`);
  if (Array.isArray(value)) return 'Array';
  if (value instanceof RegExp) return 'RegExp';
  if (value instanceof Date) return 'Date';
  switch (typeof value) {
    case 'string':
      return 'String';
    case 'number':
      return 'Number';
    case 'boolean':
      return 'Boolean';
    case 'function':
      return 'Function';
    default:
      return 'Object';
  }
}

/** WXS code with every `x.constructor` read the WXS way (see `wxsConstructor`). */
export function wxsSource(code) {
  return code.replace(/(\b[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[[^\]\n]*\])*)\.constructor\b/g, '__wxsConstructor($1)');
}

/** WXS's `getRegExp(pattern, flags)`. */
export function getRegExp(pattern, flags) {
  return new RegExp(pattern, flags);
}

/** WXS's `getDate()`, `getDate(ms)`, `getDate('2020-01-01')`, `getDate(y, m, d, …)`. */
export function getDate(...args) {
  return new Date(...args);
}

/** Joins a `.wxs` `src` onto the file that names it; `/x.wxs` is from the Mini Program's root. */
export function resolveWxs(from, src) {
  return resolvePath(from, src, { clamp: true });
}

/**
 * The WXS modules of one Mini Program.
 *
 * @param {Record<string, string>} files every file by path (the `.wxs` ones are read)
 */
export function createWxs(files) {
  const cache = new Map();

  function run(code, name, startLine, requireFrom) {
    const module = { exports: {} };
    const require = (src) => {
      if (typeof src !== 'string' || !src.endsWith('.wxs')) {
        throw new Error(`${name}: WXS can only require .wxs files, not ${JSON.stringify(src)}`);
      }
      return load(resolveWxs(requireFrom, src), name);
    };
    // Blank lines put the code at its line in the file, so an error's line is the author's.
    const body = `${'\n'.repeat(Math.max(0, startLine - 1))}${wxsSource(code)}\n//# sourceURL=/__mp/wxs/${name}`;
    let factory;
    try {
      factory = new Function('module', 'exports', 'require', 'getRegExp', 'getDate', '__wxsConstructor', ...HIDDEN, body);
    } catch (error) {
      throw new SyntaxError(`${name}: WXS does not parse: ${error.message}`);
    }
    factory(module, module.exports, require, getRegExp, getDate, wxsConstructor);
    return module.exports;
  }

  function load(path, requiredBy) {
    if (cache.has(path)) return cache.get(path).exports;
    const code = files[path];
    if (code === undefined) {
      throw new Error(`WXS module "${path}" does not exist${requiredBy ? ` (required by ${requiredBy})` : ''}`);
    }
    const entry = { exports: {} };
    cache.set(path, entry);
    try {
      entry.exports = run(code, path, 1, path);
    } catch (error) {
      cache.delete(path);
      throw error;
    }
    return entry.exports;
  }

  return {
    /** The exports of the `.wxs` file at `path` (run once). */
    load,
    /** The exports of inline code written in `file` at `line`, named `module`. */
    inline(code, file, line, module) {
      return run(code, `${file}#${module}`, line, file);
    },
  };
}
