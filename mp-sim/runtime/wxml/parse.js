// WXML text → a tree of `{type: 'element', tag, attrs, children, line}` and
// `{type: 'text', text}` nodes.
//
// WXML is XML-like: every tag is closed or self-closed, attribute values are quoted (a bare
// attribute means "true"), and `{{ }}` may hold `<` or `>`. Errors name the file, line and
// column, because the author has to find them in their own page.

/**
 * WeChat's built-in components mp-sim renders. Any other tag must be a custom component the
 * page or component lists in `usingComponents` (checked when rendering, which knows them).
 */
export const BUILT_IN_TAGS = new Set([
  'view', 'text', 'button', 'image', 'input', 'navigator', 'scroll-view', 'label', 'icon',
  'textarea', 'swiper', 'swiper-item', 'rich-text',
  'form', 'checkbox', 'checkbox-group', 'radio', 'radio-group', 'switch', 'slider', 'progress',
  'picker', 'picker-view', 'picker-view-column',
  'video', 'canvas', 'map', 'web-view', 'open-data', 'cover-view', 'cover-image',
  'movable-area', 'movable-view', 'root-portal', 'audio', 'live-player', 'live-pusher',
  'contact-button',
]);

/**
 * WeChat's components mp-sim does not draw: a page using one is refused by name (its
 * behaviour cannot be faked by a plain element). Any other tag that is neither a component
 * nor declared in usingComponents is drawn as a plain element, as WeChat draws it.
 */
export const MISSING_WECHAT_TAGS = new Set([
  'camera', 'voip-room', 'editor', 'ad', 'ad-custom', 'official-account', 'functional-page-navigator',
  'page-container', 'match-media', 'keyboard-accessory', 'share-element', 'grid-view', 'list-view',
  'sticky-header', 'sticky-section', 'store-home', 'channel-live', 'channel-video', 'page-meta',
  'navigation-bar', 'open-container', 'draggable-sheet', 'nested-scroll-header', 'nested-scroll-body',
  'xr-frame', 'store-product', 'store-coupon', 'store-gift', 'inline-payment-panel', 'live-player-fullscreen',
]);

/** WXML's own structure: not rendered as elements, but read by the template compiler. */
export const STRUCTURE_TAGS = new Set(['block', 'template', 'import', 'include', 'wxs', 'slot']);

/**
 * Where an attribute value quoted with `quote` ends, from `from`: the first `quote` outside
 * `{{ }}`. Inside a binding, quotes of the value's kind may appear escaped (`\"`) within the
 * expression's own strings, as WeChat's compiler allows:
 * `nodes="{{'<span class=\"a\">' + text + '</span>'}}"`.
 */
function attributeEnd(source, from, quote) {
  let at = from;
  while (at < source.length) {
    if (source.startsWith('{{', at)) {
      const close = source.indexOf('}}', at + 2);
      if (close < 0) return source.indexOf(quote, at);
      // A bare quote inside the binding still ends the value (the app forgot to escape it).
      const inner = source.slice(at + 2, close).replace(/\\./g, '  ');
      const stray = inner.indexOf(quote);
      if (stray >= 0) return at + 2 + stray;
      at = close + 2;
      continue;
    }
    if (source[at] === quote) return at;
    at += 1;
  }
  return -1;
}

export class WxmlError extends Error {
  constructor(file, line, column, message) {
    super(`${file}:${line}:${column}: ${message}`);
    this.name = 'WxmlError';
  }
}

/** Parses `source` (the contents of `file`) into a list of root nodes. */
export function parse(source, file = 'page.wxml') {
  let pos = 0;
  const root = { type: 'element', tag: '#root', attrs: [], children: [] };
  const stack = [root];

  const where = (at) => {
    const before = source.slice(0, at).split('\n');
    return [before.length, before[before.length - 1].length + 1];
  };
  const fail = (at, message) => {
    const [line, column] = where(at);
    throw new WxmlError(file, line, column, message);
  };

  while (pos < source.length) {
    if (source.startsWith('<!--', pos)) {
      const end = source.indexOf('-->', pos + 4);
      if (end < 0) fail(pos, 'comment is never closed ("-->" missing)');
      pos = end + 3;
    } else if (source.startsWith('</', pos)) {
      const end = source.indexOf('>', pos);
      if (end < 0) fail(pos, 'closing tag is never finished (">" missing)');
      const tag = source.slice(pos + 2, end).trim();
      const open = stack[stack.length - 1];
      if (stack.length === 1) fail(pos, `</${tag}> closes nothing`);
      if (open.tag !== tag) fail(pos, `</${tag}> found where </${open.tag}> (opened on line ${open.line}) was expected`);
      stack.pop();
      pos = end + 1;
    } else if (source[pos] === '<') {
      pos = openTag(pos);
    } else {
      pos = text(pos);
    }
  }
  if (stack.length > 1) {
    const open = stack[stack.length - 1];
    fail(source.length, `<${open.tag}> opened on line ${open.line} is never closed`);
  }
  return root.children;

  function text(start) {
    let at = start;
    while (at < source.length && source[at] !== '<') {
      if (source.startsWith('{{', at)) {
        const end = source.indexOf('}}', at + 2);
        if (end < 0) fail(at, '"{{" is never closed ("}}" missing)');
        at = end + 2;
      } else {
        at += 1;
      }
    }
    const value = source.slice(start, at);
    if (value.trim() !== '') {
      const collapsed = decodeEntities(value.replace(/\s+/g, ' ').trim());
      stack[stack.length - 1].children.push({ type: 'text', text: collapsed });
    }
    return at;
  }

  // A <wxs> module's code is script, not markup: `<` is a comparison there.
  function rawBody(element, from) {
    const end = source.indexOf('</wxs>', from);
    if (end < 0) fail(from, `<wxs> opened on line ${element.line} is never closed`);
    element.code = source.slice(from, end);
    element.codeLine = where(from)[0];
    return end + '</wxs>'.length;
  }

  function openTag(start) {
    const name = /^<([a-zA-Z][\w:-]*)/.exec(source.slice(start));
    if (!name) fail(start, 'expected a tag name after "<"');
    const tag = name[1];
    const [line, column] = where(start);
    const element = { type: 'element', tag, attrs: [], children: [], line, column };
    let at = start + name[0].length;
    for (;;) {
      while (/\s/.test(source[at] ?? '')) at += 1;
      if (at >= source.length) fail(start, `<${tag}> is never finished (">" missing)`);
      if (source.startsWith('/>', at)) {
        stack[stack.length - 1].children.push(element);
        return at + 2;
      }
      if (source[at] === '>') {
        stack[stack.length - 1].children.push(element);
        if (tag === 'wxs') return rawBody(element, at + 1);
        stack.push(element);
        return at + 1;
      }
      const attr = /^([^\s=/>]+)/.exec(source.slice(at));
      if (!attr) fail(at, `unexpected "${source[at]}" in <${tag}>`);
      at += attr[0].length;
      while (/\s/.test(source[at] ?? '')) at += 1;
      if (source[at] !== '=') {
        element.attrs.push({ name: attr[1], value: true });
        continue;
      }
      at += 1;
      while (/\s/.test(source[at] ?? '')) at += 1;
      const quote = source[at];
      if (quote !== '"' && quote !== "'") fail(at, `the value of ${attr[1]} must be quoted`);
      const end = attributeEnd(source, at + 1, quote);
      if (end < 0) fail(at, `the value of ${attr[1]} is never closed (${quote} missing)`);
      element.attrs.push({ name: attr[1], value: source.slice(at + 1, end) });
      at = end + 1;
    }
  }
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Text with WXML's entities (`&amp;`, `&lt;`, `&nbsp;`, …) decoded. */
export function decodeEntities(text) {
  return text.replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_, name) => ENTITIES[name]);
}
