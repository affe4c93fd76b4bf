// Custom components as WeChat's base library defines them: `Component()` and `Behavior()`
// options merged into one definition, and the instance a page's template creates for each
// tag — properties (typed, with defaults and `observer`), `data`, `methods`, `lifetimes`
// (and the old top-level lifetime keys), `pageLifetimes`, `observers` (field paths, `**`),
// `behaviors` (built-in ones such as `wx://form-field` included), `relations`,
// `externalClasses`, `options`, `triggerEvent`, `selectComponent(s)`.
//
// Pure logic: rendering and the DOM are the runtime's (page.js), reached through `host`.

import { npmDirs, resolvePath } from './loader.js';

/** The lifetimes a component can have, in the order WeChat runs them. */
export const LIFETIMES = ['created', 'attached', 'ready', 'moved', 'detached', 'error'];

/** The page lifetimes a component can listen to. */
export const PAGE_LIFETIMES = ['show', 'hide', 'resize', 'routeDone'];

const TYPE_DEFAULT = new Map([
  [String, ''],
  [Number, 0],
  [Boolean, false],
  [Object, null],
  [Array, []],
  [null, null],
]);

let behaviorCount = 0;

/** `Behavior(options)`: a reusable piece of a component definition. */
export function Behavior(options = {}) {
  behaviorCount += 1;
  return { __behavior: true, id: `behavior-${behaviorCount}`, options };
}

/** The base library's built-in behaviors, by their `wx://` names. */
export const BUILT_IN_BEHAVIORS = {
  // A form field: `<form>` reads its `name` and `value`.
  'wx://form-field': Behavior({ properties: { name: { type: String, value: '' }, value: { type: null, value: null } } }),
  'wx://form-field-group': Behavior({}),
  'wx://form-field-button': Behavior({}),
  // `selectComponent` answers what `export()` returns.
  'wx://component-export': Behavior({}),
};

/** A property as the options declare it → `{type, optionalTypes, value, observer}`. */
export function normalizeProperty(spec) {
  if (spec === null || typeof spec === 'function') return { type: spec, optionalTypes: [], value: undefined, observer: null };
  if (typeof spec !== 'object') return { type: null, optionalTypes: [], value: spec, observer: null };
  return {
    type: spec.type === undefined ? null : spec.type,
    optionalTypes: spec.optionalTypes ?? [],
    value: spec.value,
    observer: spec.observer ?? null,
  };
}

/** A property's value when nobody set it. */
export function defaultValue(property) {
  if (property.value !== undefined) return clone(property.value);
  return clone(TYPE_DEFAULT.has(property.type) ? TYPE_DEFAULT.get(property.type) : null);
}

/**
 * A value a parent passes, made the property's type as WeChat does: a number for a Number
 * property from `"5"`, `!!value` for a Boolean (so `"false"` is true), the default for a
 * value of the wrong kind.
 */
export function coerce(property, value) {
  const types = [property.type, ...property.optionalTypes];
  if (types.includes(null) || value === undefined) return value === undefined ? defaultValue(property) : value;
  const fits = (type) =>
    (type === String && typeof value === 'string') ||
    (type === Number && typeof value === 'number') ||
    (type === Boolean && typeof value === 'boolean') ||
    (type === Array && Array.isArray(value)) ||
    (type === Object && value !== null && typeof value === 'object');
  if (types.some(fits)) return value;
  switch (property.type) {
    case String:
      return value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    case Number: {
      const n = Number(value);
      return Number.isNaN(n) ? defaultValue(property) : n;
    }
    case Boolean:
      return Boolean(value);
    case Object:
      return value === null ? null : defaultValue(property);
    default:
      return defaultValue(property);
  }
}

/**
 * One definition from `Component()` options (or `Page()`-less pages built with Component):
 * its behaviors' parts first, then its own.
 *
 * @param {object} options what `Component()` was called with
 * @param {object} where `{path, json, isPage}`
 */
export function defineComponent(options = {}, { path, json = {}, isPage = false } = {}) {
  const def = {
    path,
    json,
    isPage,
    options: { ...(options.options ?? {}) },
    properties: {},
    data: {},
    methods: {},
    lifetimes: Object.fromEntries(LIFETIMES.map((name) => [name, []])),
    pageLifetimes: Object.fromEntries(PAGE_LIFETIMES.map((name) => [name, []])),
    observers: [],
    relations: {},
    externalClasses: [...(options.externalClasses ?? [])],
    behaviors: new Set(),
    exportFn: null,
    raw: options,
  };
  merge(def, options, true);
  return def;
}

function merge(def, options, own) {
  for (const behavior of options.behaviors ?? []) {
    const resolved = typeof behavior === 'string' ? BUILT_IN_BEHAVIORS[behavior] : behavior;
    if (!resolved?.__behavior) {
      if (typeof behavior === 'string') throw new Error(`behavior "${behavior}" is not one mp-sim knows (${Object.keys(BUILT_IN_BEHAVIORS).join(', ')})`);
      throw new Error(`${def.path}: an entry of behaviors is not a Behavior()`);
    }
    if (def.behaviors.has(resolved)) continue;
    def.behaviors.add(resolved);
    if (typeof behavior === 'string') def.behaviors.add(behavior);
    merge(def, resolved.options, false);
  }
  for (const [name, spec] of Object.entries(options.properties ?? {})) def.properties[name] = normalizeProperty(spec);
  deepMerge(def.data, clone(options.data ?? {}));
  Object.assign(def.methods, options.methods ?? {});
  // A Page built from Component() may put page handlers at the top level too.
  if (own && def.isPage) {
    for (const [key, value] of Object.entries(options)) {
      if (typeof value === 'function' && !LIFETIMES.includes(key) && key !== 'export' && !(key in def.methods)) def.methods[key] = value;
    }
  }
  for (const name of LIFETIMES) {
    const fn = options.lifetimes?.[name] ?? options[name];
    if (typeof fn === 'function') def.lifetimes[name].push(fn);
  }
  for (const name of PAGE_LIFETIMES) {
    const fn = options.pageLifetimes?.[name];
    if (typeof fn === 'function') def.pageLifetimes[name].push(fn);
  }
  for (const [fields, fn] of Object.entries(options.observers ?? {})) {
    if (typeof fn === 'function') def.observers.push({ fields: fields.split(',').map((f) => f.trim()).filter(Boolean), fn });
  }
  Object.assign(def.relations, options.relations ?? {});
  for (const name of options.externalClasses ?? []) if (!def.externalClasses.includes(name)) def.externalClasses.push(name);
  if (typeof options.export === 'function') def.exportFn = options.export;
  if (options.definitionFilter && typeof options.definitionFilter === 'function' && !own) {
    // Called with the final definition by the behaviors that use it (rare): not modelled.
  }
}

/** The field paths a setData key touches: `a.b[1].c` → `a.b[1].c`. */
export function normalizePath(path) {
  return path.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
}

/**
 * Whether an observer on `field` runs when setData sets `key`: the key is the field, one of
 * its parents, or (for `field.**`) anything inside it.
 */
export function observes(field, key) {
  const f = normalizePath(field);
  const k = normalizePath(key);
  if (f === '**') return true;
  if (f.endsWith('.**')) {
    const base = f.slice(0, -3);
    return k === base || k.startsWith(`${base}.`) || base.startsWith(`${k}.`);
  }
  return f === k || f.startsWith(`${k}.`);
}

/** The value at a field path in `data` (`**` reads the whole field). */
export function readPath(data, field) {
  const f = normalizePath(field.replace(/\.\*\*$/, ''));
  if (f === '**' || f === '') return data;
  return f.split('.').reduce((value, key) => (value === null || value === undefined ? undefined : value[key]), data);
}

/** Sets `value` at a setData path such as `order.items[2].name`. */
export function setPath(data, path, value) {
  const keys = [];
  path.replace(/[^.[\]]+|\[(\d+)\]/g, (match, index) => {
    keys.push(index !== undefined ? Number(index) : match);
    return match;
  });
  if (keys.length === 0) throw new Error(`setData: bad key "${path}"`);
  let target = data;
  keys.slice(0, -1).forEach((key, i) => {
    if (target[key] === null || typeof target[key] !== 'object') {
      target[key] = typeof keys[i + 1] === 'number' ? [] : {};
    }
    target = target[key];
  });
  target[keys[keys.length - 1]] = value;
}

/** Resolves a relation or usingComponents path written in `from`'s definition. */
export function resolveComponentPath(from, path) {
  return resolvePath(from, path, { clamp: true });
}

/**
 * Where a usingComponents path written in `from` may lead, in the order they are tried:
 * from the root (`/x`), relative (`./x`), else a package in the nearest `miniprogram_npm/`,
 * then relative, then from the root. Each is a component itself or its `index`.
 */
export function componentCandidates(from, path) {
  if (path.startsWith('/')) return [path.slice(1)];
  const relative = resolveComponentPath(from, path);
  if (path.startsWith('.')) return [relative];
  return [...npmDirs(from).map((dir) => `${dir}${path}`), relative, path];
}

/** A structured copy (data is plain JSON-like in WeChat: it crosses to the view layer). */
export function clone(value) {
  if (value === undefined) return undefined;
  try {
    return structuredClone(value);
  } catch {
    // Functions do not cross to the view layer: setData drops them, as JSON does.
    const text = JSON.stringify(value);
    return text === undefined ? undefined : JSON.parse(text);
  }
}

function deepMerge(target, source) {
  for (const [key, value] of Object.entries(source)) {
    if (value && typeof value === 'object' && !Array.isArray(value) && target[key] && typeof target[key] === 'object' && !Array.isArray(target[key])) {
      deepMerge(target[key], value);
    } else {
      target[key] = value;
    }
  }
  return target;
}

/** Whether two property values are the same for WeChat's "did it change" (deep for objects). */
export function sameValue(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}
