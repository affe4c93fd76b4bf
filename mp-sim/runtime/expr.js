// `{{ }}` data binding: the expressions WXML allows (arithmetic, comparison, logic, ternary,
// member access, literals) evaluated against a page's data.
//
// A name the data lacks is `undefined`, never a ReferenceError, and renders as "" — as in
// WeChat. Expressions are compiled once and cached.

const compiled = new Map();

function compile(expression) {
  let fn = compiled.get(expression);
  if (!fn) {
    try {
      // `with` over a proxy that claims every name makes unknown names read as undefined.
      fn = new Function('scope', `with (scope) { return (${expression}); }`);
    } catch (error) {
      throw new SyntaxError(`bad WXML expression {{${expression}}}: ${error.message}`);
    }
    compiled.set(expression, fn);
  }
  return fn;
}

function scopeOf(data) {
  return new Proxy(data, {
    has: (target, key) => typeof key === 'string' && key !== 'undefined',
    get: (target, key) => (key === Symbol.unscopables ? undefined : target[key]),
  });
}

/** Evaluates one expression (the text between `{{` and `}}`) against `data`. */
export function evaluate(expression, data) {
  const source = expression.trim();
  if (source === '') return undefined;
  // `{{a: 1, b}}` object shorthand used by templates' data attributes.
  return compile(source)(scopeOf(data));
}

const MUSTACHE = /\{\{([\s\S]+?)\}\}/g;

/** Whether `text` contains a binding. */
export function hasBinding(text) {
  return text.includes('{{');
}

/**
 * Fills the bindings of an attribute value or text. A value that is exactly one binding
 * keeps its type (`disabled="{{loading}}"` is a boolean); anything else is a string.
 */
export function interpolate(text, data) {
  const whole = /^\s*\{\{([\s\S]+?)\}\}\s*$/.exec(text);
  if (whole && !whole[1].includes('}}')) return evaluate(whole[1], data);
  return text.replace(MUSTACHE, (_, expression) => display(evaluate(expression, data)));
}

/** How WXML prints a value inside text. */
export function display(value) {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
