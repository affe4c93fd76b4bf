// `wx.createSelectorQuery()` / `this.createSelectorQuery()`: node information read from the
// real DOM mp-sim rendered — rects, scroll offsets, fields — answered asynchronously in one
// `exec` callback, as WeChat's view layer answers the logic layer.

import { canvasNode } from './built_in/contexts.js';

/** What `node` answers: a canvas's drawing surface, else the element. */
function nodeOf(element) {
  return element.localName === 'wx-canvas' ? canvasNode(element) : element;
}

/** A rect as WeChat reports it: `{id, dataset, left, right, top, bottom, width, height}`. */
function rectOf(element) {
  const rect = element.getBoundingClientRect();
  return {
    id: element.id || '',
    dataset: { ...(element.__vnode?.dataset ?? {}) },
    left: rect.left,
    right: rect.right,
    top: rect.top,
    bottom: rect.bottom,
    width: rect.width,
    height: rect.height,
  };
}

function fieldsOf(element, fields) {
  const out = {};
  if (fields.id) out.id = element.id || '';
  if (fields.dataset) out.dataset = { ...(element.__vnode?.dataset ?? {}) };
  if (fields.mark) out.mark = { ...(element.__vnode?.marks ?? {}) };
  if (fields.rect || fields.size) Object.assign(out, pick(rectOf(element), fields.rect ? ['left', 'right', 'top', 'bottom'] : []), fields.size ? { width: rectOf(element).width, height: rectOf(element).height } : {});
  if (fields.scrollOffset) Object.assign(out, { scrollLeft: element.scrollLeft, scrollTop: element.scrollTop, scrollWidth: element.scrollWidth, scrollHeight: element.scrollHeight });
  for (const name of fields.properties ?? []) out[name] = element.__vnode?.attrs?.[name] ?? element[name];
  if (fields.computedStyle) {
    const style = element.ownerDocument.defaultView.getComputedStyle(element);
    for (const name of fields.computedStyle) out[name] = style.getPropertyValue(name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
  }
  if (fields.node) out.node = nodeOf(element);
  return out;
}

function pick(object, keys) {
  return Object.fromEntries(keys.map((k) => [k, object[k]]));
}

/**
 * A SelectorQuery over `root` (a page's or component's element; the document for the page
 * on top when none is given).
 *
 * @param {() => Element|null} rootOf where selectors are looked up
 * @param {Document} doc
 */
export function createSelectorQuery(rootOf, doc) {
  const requests = [];
  let scope = null;
  const root = () => scope?.__host ?? rootOf() ?? doc.body;

  const nodesRef = (selector, all, viewport) => {
    const find = () => {
      if (viewport) return [doc.scrollingElement ?? doc.documentElement];
      let found;
      try {
        found = [...root().querySelectorAll(selector)];
      } catch (error) {
        throw new Error(`SelectorQuery: "${selector}" is not a selector mp-sim understands (${error.message})`);
      }
      return all ? found : found.slice(0, 1);
    };
    const add = (answer, callback) => {
      requests.push({ answer: () => { const nodes = find(); const values = nodes.map(answer); return all ? values : values[0] ?? null; }, callback });
      return query;
    };
    return {
      boundingClientRect: (callback) => add((el) => (viewport ? { left: 0, top: 0, right: doc.defaultView.innerWidth, bottom: doc.defaultView.innerHeight, width: doc.defaultView.innerWidth, height: doc.defaultView.innerHeight, id: '', dataset: {} } : rectOf(el)), callback),
      scrollOffset: (callback) => add((el) => ({ id: el.id || '', dataset: { ...(el.__vnode?.dataset ?? {}) }, scrollLeft: el.scrollLeft, scrollTop: el.scrollTop, scrollWidth: el.scrollWidth, scrollHeight: el.scrollHeight }), callback),
      fields: (fields, callback) => add((el) => fieldsOf(el, fields), callback),
      node: (callback) => add((el) => ({ node: nodeOf(el) }), callback),
      context: (callback) => add(() => ({ context: null }), callback),
    };
  };

  const query = {
    in(component) {
      scope = component;
      return query;
    },
    select: (selector) => nodesRef(selector, false, false),
    selectAll: (selector) => nodesRef(selector, true, false),
    selectViewport: () => nodesRef('', false, true),
    exec(callback) {
      setTimeout(() => {
        const results = requests.map(({ answer, callback: each }) => {
          const value = answer();
          if (typeof each === 'function') each(value);
          return value;
        });
        if (typeof callback === 'function') callback(results);
      }, 0);
      return query;
    },
  };
  return query;
}
