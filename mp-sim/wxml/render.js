// A parsed WXML tree + a page's data → virtual nodes the DOM patcher (dom.js) turns into
// elements: `{tag, attrs, dataset, events, children, wxTag}` and `{text}`.
//
// Pure (no DOM), so node --test covers every directive. Elements keep WeChat's names with a
// `wx-` prefix (`<wx-view>`, `<wx-button>`), as WeChat DevTools renders them, except where a
// real HTML element gives the behaviour for free (`<input>`, `<img>`).

import { interpolate } from '../expr.js';

const HTML_TAG = { input: 'input', image: 'img' };

const EVENT_ATTR = /^(capture-bind|capture-catch|mut-bind|bind|catch):?([A-Za-z]+)$/;

/** Renders `nodes` (from parse) against `data` into a list of virtual nodes. */
export function render(nodes, data) {
  return renderList(nodes, data);
}

function renderList(nodes, scope) {
  const out = [];
  let chainTaken = null; // null: no wx:if chain open; true/false: whether a branch rendered
  for (const node of nodes) {
    if (node.type === 'text') {
      chainTaken = null;
      const text = interpolateText(node.text, scope);
      if (text !== '') out.push({ text });
      continue;
    }
    const attrs = attrMap(node);
    if ('wx:if' in attrs) {
      chainTaken = truthy(attrs['wx:if'], scope);
      if (!chainTaken) continue;
    } else if ('wx:elif' in attrs) {
      if (chainTaken === null) throw misplaced(node, 'wx:elif');
      if (chainTaken || !truthy(attrs['wx:elif'], scope)) continue;
      chainTaken = true;
    } else if ('wx:else' in attrs) {
      if (chainTaken === null) throw misplaced(node, 'wx:else');
      const taken = chainTaken;
      chainTaken = null;
      if (taken) continue;
    } else {
      chainTaken = null;
    }
    if ('wx:for' in attrs || 'wx:for-items' in attrs) {
      out.push(...renderFor(node, attrs, scope));
    } else {
      out.push(...renderElement(node, attrs, scope));
    }
  }
  return out;
}

function renderFor(node, attrs, scope) {
  let list = bind(attrs['wx:for'] ?? attrs['wx:for-items'], scope);
  if (typeof list === 'number') list = Array.from({ length: list }, (_, i) => i);
  else if (typeof list === 'string') list = [...list];
  else if (list && typeof list === 'object' && !Array.isArray(list)) list = Object.values(list);
  else if (!Array.isArray(list)) list = [];
  const itemName = attrs['wx:for-item'] || 'item';
  const indexName = attrs['wx:for-index'] || 'index';
  const keyName = attrs['wx:key'];
  const out = [];
  list.forEach((item, index) => {
    const inner = Object.create(scope);
    inner[itemName] = item;
    inner[indexName] = index;
    for (const vnode of renderElement(node, attrs, inner)) {
      if (keyName) vnode.key = keyName === '*this' ? item : item?.[keyName];
      out.push(vnode);
    }
  });
  return out;
}

function renderElement(node, attrs, scope) {
  const children = renderList(node.children, scope);
  if (node.tag === 'block') return children;
  const vnode = {
    tag: HTML_TAG[node.tag] ?? `wx-${node.tag}`,
    wxTag: node.tag,
    attrs: {},
    dataset: {},
    events: {},
    children,
  };
  for (const [name, raw] of Object.entries(attrs)) {
    if (name.startsWith('wx:')) continue;
    const value = raw === true ? true : bind(raw, scope);
    const event = EVENT_ATTR.exec(name);
    if (event) {
      vnode.events[event[2]] = { handler: String(value), catch: event[1].endsWith('catch') };
    } else if (name.startsWith('data-')) {
      vnode.dataset[camel(name.slice(5))] = value;
    } else {
      vnode.attrs[name] = value;
    }
  }
  if (node.tag === 'image' && vnode.attrs.src === undefined) vnode.attrs.src = '';
  return [vnode];
}

function attrMap(node) {
  const map = {};
  for (const { name, value } of node.attrs) map[name] = value;
  return map;
}

function bind(raw, scope) {
  return typeof raw === 'string' ? interpolate(raw, scope) : raw;
}

function truthy(raw, scope) {
  return Boolean(bind(raw, scope));
}

function interpolateText(text, scope) {
  const value = interpolate(text, scope);
  return value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function camel(name) {
  return name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
}

function misplaced(node, directive) {
  return new Error(`line ${node.line}: <${node.tag} ${directive}> must follow an element with wx:if or wx:elif`);
}
