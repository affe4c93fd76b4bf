// A compiled WXML file + data → virtual nodes the DOM patcher (dom.js) turns into elements:
//   element   `{tag, wxTag, attrs, dataset, marks, events, model, children, key, owner}`
//   component `{component, tag, attrs, props, externalClasses, dataset, marks, events, slots, key, owner}`
//   text      `{text}`
//
// Pure (no DOM), so node --test covers every directive. Elements keep WeChat's names with a
// `wx-` prefix (`<wx-view>`, `<wx-button>`), as WeChat DevTools renders them, except where a
// real HTML element gives the behaviour for free (`<input>`, `<img>`). A custom component
// keeps its tag (`<van-button>`) as its host element; what the parent wrote inside it is
// rendered here, in the parent's data and with the parent's handlers, and handed to the
// component as its slots.

import { evaluate, interpolate } from '../expr.js';
import { BUILT_IN_TAGS, MISSING_WECHAT_TAGS } from './parse.js';

const HTML_TAG = { input: 'input', image: 'img', 'cover-image': 'img', textarea: 'textarea' };

const EVENT_ATTR = /^(capture-bind|capture-catch|mut-bind|bind|catch):?([A-Za-z][\w-]*)$/;

/** Attributes of a component tag that are the host's, not properties. */
const HOST_ATTRS = new Set(['id', 'class', 'style', 'hidden', 'slot']);

/**
 * What rendering needs to know beyond the data.
 *
 * @typedef {object} RenderContext
 * @property {object} [owner] the page or component whose template this is; events go to it
 * @property {(tag: string) => object|null} [component] the custom component a tag names
 * @property {Record<string, object[]>} [slots] what the component's user put in its slots
 * @property {(raw: string) => string} [classes] a class attribute as written → as rendered
 * @property {(file: object, name: string) => {node: object, file: object}|null} [template]
 */

/**
 * Renders `file` (from wxml/file.js, or a plain list of parsed nodes) against `data`.
 *
 * @param {object|object[]} file
 * @param {object} data
 * @param {RenderContext} [context]
 */
export function render(file, data, context = {}) {
  const compiled = Array.isArray(file) ? { path: 'page.wxml', nodes: file, modules: () => ({}) } : file;
  const ctx = { owner: null, component: () => null, slots: {}, classes: (raw) => raw, template: () => null, ...context };
  return renderList(compiled.nodes, scopeFor(data, compiled), { ...ctx, file: compiled });
}

function scopeFor(data, file) {
  const scope = Object.create(data ?? null);
  Object.assign(scope, file.modules());
  return scope;
}

function renderList(nodes, scope, ctx) {
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
      chainTaken = truthy(attrs['wx:if'], scope, ctx, node);
      if (!chainTaken) continue;
    } else if ('wx:elif' in attrs) {
      if (chainTaken === null) throw misplaced(node, 'wx:elif', ctx);
      if (chainTaken || !truthy(attrs['wx:elif'], scope, ctx, node)) continue;
      chainTaken = true;
    } else if ('wx:else' in attrs) {
      if (chainTaken === null) throw misplaced(node, 'wx:else', ctx);
      const taken = chainTaken;
      chainTaken = null;
      if (taken) continue;
    } else {
      chainTaken = null;
    }
    if ('wx:for' in attrs || 'wx:for-items' in attrs) {
      out.push(...renderFor(node, attrs, scope, ctx));
    } else {
      out.push(...renderNode(node, attrs, scope, ctx));
    }
  }
  return out;
}

function renderFor(node, attrs, scope, ctx) {
  let list = bind(attrs['wx:for'] ?? attrs['wx:for-items'], scope, ctx, node);
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
    const key = !keyName ? undefined : keyName === '*this' ? item : item?.[keyName];
    for (const vnode of renderNode(node, attrs, inner, ctx)) {
      // A block's children share its key, each told apart by its place in the block. An item
      // without the key's field (`wx:key="index"` on items that have none) is matched by place.
      if (keyName && key !== undefined && key !== null && !('text' in vnode)) vnode.key = `${typeof key}:${String(key)}`;
      out.push(vnode);
    }
  });
  return out;
}

function renderNode(node, attrs, scope, ctx) {
  switch (node.tag) {
    case 'block':
      return renderList(node.children, scope, ctx);
    case 'slot':
      return ctx.slots[attrs.name ? String(bind(attrs.name, scope, ctx, node)) : ''] ?? [];
    case 'template':
      return renderTemplate(node, attrs, scope, ctx);
    default:
      break;
  }
  const definition = ctx.component(node.tag);
  if (definition) return [renderComponent(node, attrs, scope, ctx, definition)];
  if (!BUILT_IN_TAGS.has(node.tag)) {
    if (MISSING_WECHAT_TAGS.has(node.tag) || !ctx.warn) {
      throw new Error(
        `${where(ctx, node)}: <${node.tag}> is neither one of WeChat's components mp-sim renders ` +
          `(${[...BUILT_IN_TAGS].join(', ')}) nor a custom component in usingComponents ` +
          `(of ${ctx.file.path.replace(/\.wxml$/, '.json')} or app.json)`,
      );
    }
    // WeChat draws a tag it does not know (`<div>`, a component never declared) as a plain
    // element holding its children; so does mp-sim, with a warning naming it.
    ctx.warn(`${where(ctx, node)}: <${node.tag}> is not a WeChat component nor in usingComponents; drawn as a plain element, as WeChat does`);
  }
  const vnode = {
    tag: HTML_TAG[node.tag] ?? `wx-${node.tag}`,
    wxTag: node.tag,
    attrs: {},
    dataset: {},
    marks: {},
    events: {},
    owner: ctx.owner,
    children: renderList(node.children, scope, ctx),
  };
  for (const [name, raw] of Object.entries(attrs)) {
    if (name.startsWith('wx:') || name.startsWith('generic:')) continue;
    if (name.startsWith('model:')) {
      const path = modelPath(raw);
      vnode.model = { attr: name.slice(6), path };
      vnode.attrs[name.slice(6)] = bind(raw, scope, ctx, node);
      continue;
    }
    if (sortAttr(vnode, name, bind(raw, scope, ctx, node), ctx)) continue;
    vnode.attrs[name] = name === 'class' ? ctx.classes(classText(vnode.attrs[name], bind(raw, scope, ctx, node))) : bind(raw, scope, ctx, node);
  }
  if ((node.tag === 'image' || node.tag === 'cover-image') && vnode.attrs.src === undefined) vnode.attrs.src = '';
  return [vnode];
}

// Events, data-* and mark:* go to their own maps; true when `name` was one of those.
function sortAttr(vnode, name, value, ctx) {
  const event = EVENT_ATTR.exec(name);
  if (event) {
    if (value !== '' && value !== undefined && value !== null) {
      const kind = event[1];
      const binding = {
        handler: typeof value === 'function' ? value : String(value),
        catch: kind.endsWith('catch'),
        mut: kind === 'mut-bind',
        owner: ctx.owner,
      };
      if (kind.startsWith('capture')) vnode.events[`capture:${event[2]}`] = binding;
      else vnode.events[event[2]] = binding;
    }
    return true;
  }
  if (name.startsWith('data-')) {
    // As WeChat: hyphens become camel case and capitals become lower case, so
    // data-order-id is dataset.orderId and data-hasStock is dataset.hasstock.
    vnode.dataset[camel(name.slice(5).toLowerCase())] = value;
    return true;
  }
  if (name.startsWith('mark:')) {
    vnode.marks[name.slice(5)] = value;
    return true;
  }
  return false;
}

function renderComponent(node, attrs, scope, ctx, definition) {
  const vnode = {
    component: definition,
    tag: node.tag,
    attrs: {},
    props: {},
    externalClasses: {},
    dataset: {},
    marks: {},
    events: {},
    owner: ctx.owner,
    slots: {},
  };
  const external = new Set(definition.externalClasses ?? []);
  for (const [name, raw] of Object.entries(attrs)) {
    if (name.startsWith('wx:') || name.startsWith('generic:')) continue;
    const value = raw === true ? true : bind(raw, scope, ctx, node);
    if (sortAttr(vnode, name, value, ctx)) continue;
    if (external.has(name)) {
      vnode.externalClasses[name] = ctx.classes(classText(undefined, value));
    } else if (name === 'class') {
      vnode.attrs.class = ctx.classes(classText(undefined, value));
    } else if (HOST_ATTRS.has(name)) {
      vnode.attrs[name] = value;
    } else {
      const prop = name.startsWith('model:') ? name.slice(6) : name;
      vnode.props[camel(prop)] = value;
      if (name.startsWith('model:')) (vnode.models ??= {})[camel(prop)] = modelPath(raw);
    }
  }
  // What the parent wrote inside the tag: in the parent's scope, sorted by `slot`.
  for (const child of renderList(node.children, scope, ctx)) {
    const name = 'text' in child ? '' : String(child.attrs?.slot ?? '');
    (vnode.slots[name] ??= []).push(child);
  }
  return vnode;
}

function renderTemplate(node, attrs, scope, ctx) {
  if (attrs.name !== undefined) return []; // a definition (only from a plain node list)
  const name = attrs.is === undefined ? undefined : bind(attrs.is, scope, ctx, node);
  if (name === undefined || name === '') return [];
  const found = ctx.template(ctx.file, String(name));
  if (!found) {
    throw new Error(`${where(ctx, node)}: <template is="${name}">: no template "${name}" in ${ctx.file.path} or the files it imports`);
  }
  let data = {};
  if (typeof attrs.data === 'string') {
    // `data="{{a, b: 1, ...item}}"` is an object literal without its braces.
    const inner = /^\s*\{\{([\s\S]*)\}\}\s*$/.exec(attrs.data);
    data = inner ? evalIn(`{${inner[1]}}`, scope, ctx, node) : {};
  }
  return renderList(found.node.children, scopeFor(data, found.file), { ...ctx, file: found.file });
}

function attrMap(node) {
  const map = {};
  for (const { name, value } of node.attrs) map[name] = value;
  return map;
}

function bind(raw, scope, ctx, node) {
  if (typeof raw !== 'string') return raw;
  try {
    return interpolate(raw, scope);
  } catch (error) {
    throw new Error(`${where(ctx, node)}: ${error.message}`);
  }
}

function evalIn(expression, scope, ctx, node) {
  try {
    return evaluate(expression, scope);
  } catch (error) {
    throw new Error(`${where(ctx, node)}: ${error.message}`);
  }
}

function truthy(raw, scope, ctx, node) {
  return Boolean(bind(raw, scope, ctx, node));
}

function interpolateText(text, scope) {
  const value = interpolate(text, scope);
  return value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function classText(before, value) {
  const text = value === undefined || value === null || value === false ? '' : String(value);
  return before ? `${before} ${text}` : text;
}

function modelPath(raw) {
  const inner = /^\s*\{\{\s*([\w$.[\]]+)\s*\}\}\s*$/.exec(String(raw));
  return inner ? inner[1] : null;
}

function camel(name) {
  return name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
}

function where(ctx, node) {
  return `${ctx.file?.path ?? 'page.wxml'}:${node.line ?? '?'}`;
}

function misplaced(node, directive, ctx) {
  return new Error(`${where(ctx, node)}: <${node.tag} ${directive}> must follow an element with wx:if or wx:elif`);
}
