// CommonJS for a Mini Program's modules, the way the WeChat base library provides it.
//
// The host wraps every .js file of the Mini Program in a factory
// `function (require, module, exports, globals...) { <file> }` (line numbers kept), and
// registers it by its path from the Mini Program's root ("utils/payment.js"). `require`
// resolves relative paths against the requiring module, a package name (`dayjs`,
// `@vant/weapp/toast/toast`) in the nearest `miniprogram_npm/` up the tree as WeChat's npm
// support does, runs each module once, and names the module and its requirer when something
// is missing — as the base library does.

/**
 * Joins `request` onto the directory of `from`, both relative to the Mini Program root
 * (`/x` is from the root). A `..` above the root gives null, as `require` refuses it; with
 * `clamp` it stays at the root, as WXML, WXSS, WXS and usingComponents paths resolve.
 */
export function resolvePath(from, request, { clamp = false } = {}) {
  const base = request.startsWith('/') ? [] : from.split('/').slice(0, -1);
  for (const part of request.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (base.length === 0 && !clamp) return null;
      base.pop();
    } else {
      base.push(part);
    }
  }
  return base.join('/');
}

/**
 * A module registry.
 *
 * @param {Record<string, Function>} factories path → factory(require, module, exports, ...globals)
 * @param {() => any[]} globals the extra arguments every factory receives (App, Page, wx, ...)
 * @param {Record<string, Error>} [loadErrors] modules that did not parse, by path: requiring one throws its error
 * @param {(path: string) => Promise<void> | void} [loadPackageOf] loads the subpackage a module
 *   path lies in, if it is one not loaded yet (`require.async`)
 */
export function createLoader(factories, globals = () => [], loadErrors = {}, loadPackageOf = () => {}) {
  const cache = new Map();

  function candidates(path) {
    if (path.endsWith('.js')) return [path];
    return [path + '.js', path + '/index.js', path];
  }

  function load(path, requiredBy) {
    const found = candidates(path).find((p) => Object.hasOwn(factories, p));
    const broken = candidates(path).find((p) => Object.hasOwn(loadErrors, p));
    if (!found && broken) {
      const by = requiredBy ? `, required by "${requiredBy}"` : '';
      const error = new Error(`module "${broken}"${by} does not run: ${loadErrors[broken].message}`);
      error.stack = `${error.message}\n${loadErrors[broken].stack ?? ''}`;
      throw error;
    }
    if (!found) {
      const by = requiredBy ? `, required by "${requiredBy}"` : '';
      throw new Error(`module "${path}" is not defined${by}: no such file in the Mini Program`);
    }
    if (cache.has(found)) return cache.get(found).exports;
    const module = { exports: {}, id: found };
    cache.set(found, module);
    const target = (request) => {
      if (typeof request !== 'string') throw new TypeError(`require args must be a string, got ${typeof request}`);
      const path = resolveRequest(found, request);
      if (path === null) throw new Error(`require("${request}") in "${found}" goes above the Mini Program's root`);
      return path;
    };
    const require = (request) => load(target(request), found);
    // WeChat's asynchronous require (subpackages loaded on demand): the module's subpackage
    // loads first; a failure rejects with `{ mod, errMsg }`, as the base library does.
    require.async = (request) =>
      new Promise((resolve) => resolve(target(request)))
        .then(async (path) => {
          await loadPackageOf(path);
          return load(path, found);
        })
        .catch((error) => {
          throw { mod: request, errMsg: error?.message ?? String(error) };
        });
    try {
      factories[found].call(module.exports, require, module, module.exports, ...globals());
    } catch (error) {
      cache.delete(found);
      throw error;
    }
    return module.exports;
  }

  // A bare name is a package when one is installed up the tree; otherwise WeChat reads it as
  // a path relative to the requiring module (`require('util.js')`).
  function resolveRequest(from, request) {
    if (!request.startsWith('.') && !request.startsWith('/')) {
      for (const dir of npmDirs(from)) {
        const candidate = `${dir}${request}`;
        if (candidates(candidate).some((p) => Object.hasOwn(factories, p))) return candidate;
      }
    }
    return resolvePath(from, request);
  }

  return {
    /** Runs (once) and returns the exports of the module at `path`. */
    require: (path) => load(path, null),
    /** Whether a module exists at `path`. */
    has: (path) => candidates(path).some((p) => Object.hasOwn(factories, p) || Object.hasOwn(loadErrors, p)),
  };
}

/** The `miniprogram_npm/` directories a module in `from` looks in, nearest first. */
export function npmDirs(from) {
  const parts = from.split('/').slice(0, -1);
  const dirs = [];
  for (let i = parts.length; i >= 0; i -= 1) {
    const dir = parts.slice(0, i).join('/');
    if (parts[i - 1] === 'miniprogram_npm') continue;
    dirs.push(dir ? `${dir}/miniprogram_npm/` : 'miniprogram_npm/');
  }
  return dirs;
}
