// CommonJS for a Mini Program's modules, the way the WeChat base library provides it.
//
// The host wraps every .js file of the Mini Program in a factory
// `function (require, module, exports, globals...) { <file> }` (line numbers kept), and
// registers it by its path from the Mini Program's root ("utils/payment.js"). `require`
// resolves relative paths against the requiring module, runs each module once, and names
// the module and its requirer when something is missing — as the base library does.

/** Joins `request` onto the directory of `from`, both relative to the Mini Program root. */
export function resolvePath(from, request) {
  const base = request.startsWith('/') ? [] : from.split('/').slice(0, -1);
  for (const part of request.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (base.length === 0) return null;
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
 */
export function createLoader(factories, globals = () => []) {
  const cache = new Map();

  function candidates(path) {
    if (path.endsWith('.js')) return [path];
    return [path + '.js', path + '/index.js', path];
  }

  function load(path, requiredBy) {
    const found = candidates(path).find((p) => Object.hasOwn(factories, p));
    if (!found) {
      const by = requiredBy ? `, required by "${requiredBy}"` : '';
      throw new Error(`module "${path}" is not defined${by}: no such file in the Mini Program`);
    }
    if (cache.has(found)) return cache.get(found).exports;
    const module = { exports: {}, id: found };
    cache.set(found, module);
    const require = (request) => {
      if (typeof request !== 'string') throw new TypeError(`require args must be a string, got ${typeof request}`);
      const target = resolvePath(found, request);
      if (target === null) throw new Error(`require("${request}") in "${found}" goes above the Mini Program's root`);
      return load(target, found);
    };
    try {
      factories[found].call(module.exports, require, module, module.exports, ...globals());
    } catch (error) {
      cache.delete(found);
      throw error;
    }
    return module.exports;
  }

  return {
    /** Runs (once) and returns the exports of the module at `path`. */
    require: (path) => load(path, null),
    /** Whether a module exists at `path`. */
    has: (path) => candidates(path).some((p) => Object.hasOwn(factories, p)),
  };
}
