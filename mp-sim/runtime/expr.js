// `{{ }}` data binding: the expressions WXML allows (arithmetic, comparison, logic, ternary,
// member access, literals) evaluated against a page's data.
//
// A name the data lacks is `undefined`, never a ReferenceError, and renders as "" — as in
// WeChat; so is a field of something that is not there (`{{order.items[0].name}}` while
// `order` is null). Expressions are compiled once and cached.

const compiled = new Map();

/**
 * `expression` with every member access made null-safe (`a.b[c]` → `a?.b?.[c]`), as WXML
 * reads a field of null or undefined as undefined. Strings and number literals are left as
 * they are.
 */
export function nullSafe(expression) {
  let out = '';
  let quote = null;
  for (let i = 0; i < expression.length; i += 1) {
    const c = expression[i];
    if (quote) {
      out += c;
      if (c === '\\') {
        out += expression[i + 1] ?? '';
        i += 1;
      } else if (c === quote) {
        quote = null;
      }
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      quote = c;
      out += c;
      continue;
    }
    const member = (c === '.' && /[A-Za-z_$]/.test(expression[i + 1] ?? '')) || c === '[';
    if (member && afterValue(out)) {
      out += c === '.' ? '?.' : '?.[';
      continue;
    }
    out += c;
  }
  return out;
}

// Whether the code so far ends with something a member access can follow: a name (not a
// keyword; a number literal starts with a digit, so it is no name), `)` or `]`.
function afterValue(code) {
  if (/[)\]]$/.test(code)) return true;
  const word = /(^|[^\w$])([A-Za-z_$][\w$]*)$/.exec(code);
  return Boolean(word) && !KEYWORDS.has(word[2]);
}

const KEYWORDS = new Set(['typeof', 'in', 'instanceof', 'void', 'new', 'return', 'case', 'delete']);

function compile(expression) {
  let fn = compiled.get(expression);
  if (!fn) {
    try {
      // `with` over a proxy that claims every name makes unknown names read as undefined.
      fn = new Function('scope', `with (scope) { return (${nullSafe(expression)}); }`);
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
