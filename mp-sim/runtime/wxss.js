// WXSS → CSS: `rpx` (1/750 of the screen width) becomes px for the simulated 375 px wide
// phone, WXML tag selectors (`view`, `button`) target the `wx-` elements mp-sim renders,
// `@import` is inlined (relative or from the root), and every class selector is scoped the
// way WeChat isolates styles: a sheet of app.json's app, a page or a component styles only
// the elements whose class carries its prefix (`.btn` → `.pages_pay_pay--btn`); the
// renderer gives each element the prefixes of the sheets that may style it.

import { resolvePath } from './loader.js';

/** The simulated screen width in px; 750 rpx span it. */
export const SCREEN_WIDTH = 375;

/** Converts every `Nrpx` in a declaration list or stylesheet to px. */
export function rpxToPx(css) {
  return css.replace(/(-?\d*\.?\d+)rpx\b/g, (_, n) => `${+((parseFloat(n) * SCREEN_WIDTH) / 750).toFixed(3)}px`);
}

const TAGS = ['view', 'text', 'button', 'navigator', 'scroll-view', 'label', 'icon', 'page', 'input', 'image'];

/** The class prefix of the sheet of `path` (a page or component, without extension). */
export function scopePrefix(path) {
  return `${String(path).replace(/[^A-Za-z0-9]/g, '_')}--`;
}

/** Converts a WXSS stylesheet to CSS for mp-sim's elements (no scoping). */
export function toCss(wxss) {
  return rewriteSelectors(rpxToPx(wxss), (selector) => tagSelectors(selector));
}

/**
 * A WXSS sheet as scoped CSS: imports inlined, rpx converted, tags renamed, classes
 * prefixed with `prefix`, `:host` made the component's host element.
 *
 * @param {string} wxss
 * @param {{path: string, prefix: string, files: Record<string, string>}} where
 */
export function scopedCss(wxss, { path, prefix, files }) {
  const inlined = inlineImports(wxss, path, files, [path]);
  const host = `[wx-host="${prefix}"]`;
  return rewriteSelectors(rpxToPx(inlined), (selector) =>
    tagSelectors(selector)
      .replace(/\.(-?[_a-zA-Z][\w-]*)/g, (_, name) => `.${prefix}${name}`)
      .replace(/:host\b(\(([^)]*)\))?/g, (_, __, inner) => (inner ? `${host}${inner}` : host)),
  );
}

/** Replaces each `@import "x.wxss";` with that file's content, recursively. */
export function inlineImports(wxss, path, files, seen) {
  return stripComments(wxss).replace(/@import\s+(?:url\()?\s*["']([^"']+)["']\s*\)?\s*;?/g, (_, src) => {
    const target = resolvePath(path, src.endsWith('.wxss') || src.endsWith('.css') ? src : `${src}.wxss`, { clamp: true });
    if (seen.includes(target)) return `/* @import "${src}": imported already */`;
    const text = files[target];
    if (text === undefined) return `/* @import "${src}": ${target} does not exist */`;
    return inlineImports(text, target, files, [...seen, target]);
  });
}

function stripComments(css) {
  return css.replace(/\/\*[\s\S]*?\*\//g, '');
}

function tagSelectors(selector) {
  return selector.replace(new RegExp(`(^|[\\s,>+~(])(${TAGS.join('|')})(?![\\w-])`, 'g'), (_, before, tag) => {
    if (tag === 'page') return `${before}wx-page`;
    if (tag === 'image') return `${before}img`;
    if (tag === 'input') return `${before}input`;
    return `${before}wx-${tag}`;
  });
}

// Calls `fix` on the selector text of every rule (not on declarations, nor on the
// preludes of @media/@supports, nor inside @keyframes / @font-face).
function rewriteSelectors(css, fix) {
  let out = '';
  let i = 0;
  const depthKinds = [];
  while (i < css.length) {
    const open = css.indexOf('{', i);
    const close = css.indexOf('}', i);
    if (open < 0 && close < 0) {
      out += css.slice(i);
      break;
    }
    if (close >= 0 && (open < 0 || close < open)) {
      out += css.slice(i, close + 1);
      depthKinds.pop();
      i = close + 1;
      continue;
    }
    // Statements before the rule (`@charset "utf-8";`) are not part of its selector.
    const semicolon = css.lastIndexOf(';', open);
    if (semicolon >= i) {
      out += css.slice(i, semicolon + 1);
      i = semicolon + 1;
    }
    const prelude = css.slice(i, open);
    const trimmed = prelude.trim();
    const inVerbatim = depthKinds.includes('verbatim');
    if (trimmed.startsWith('@')) {
      const verbatim = /^@(-[a-z]+-)?(keyframes|font-face|page)/.test(trimmed);
      depthKinds.push(verbatim ? 'verbatim' : 'group');
      out += prelude + '{';
    } else if (depthKinds.length && depthKinds[depthKinds.length - 1] === 'rule') {
      // A `{` inside declarations (not valid CSS): leave it.
      depthKinds.push('rule');
      out += prelude + '{';
    } else {
      depthKinds.push('rule');
      out += (inVerbatim ? prelude : fix(prelude)) + '{';
    }
    i = open + 1;
  }
  return out;
}
