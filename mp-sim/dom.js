// Virtual nodes (wxml/render.js) → real DOM, patched in place on every setData so that
// elements WebDriver holds stay valid and a focused input keeps its caret.
//
// Events: a `tap` is a DOM click (WebDriver's Element Click), `input` the DOM input event.
// Handlers are looked up when the event fires, so a re-render never re-binds listeners.
// `catch` stops the event at that element; a disabled button fires nothing, as in WeChat.

import { rpxToPx } from './wxss.js';

/**
 * Makes `container`'s children match `vnodes`.
 *
 * @param {Element} container
 * @param {object[]} vnodes
 * @param {(type: string, handler: string, event: object, element: Element) => any} dispatch
 */
export function patch(container, vnodes, dispatch) {
  const doc = container.ownerDocument;
  const existing = [...container.childNodes];
  vnodes.forEach((vnode, i) => {
    const node = existing[i];
    if (node && sameKind(node, vnode)) {
      update(node, vnode, dispatch);
    } else {
      const created = create(doc, vnode, dispatch);
      if (node) container.replaceChild(created, node);
      else container.appendChild(created);
    }
  });
  for (const extra of existing.slice(vnodes.length)) extra.remove();
}

function sameKind(node, vnode) {
  if ('text' in vnode) return node.nodeType === 3;
  return node.nodeType === 1 && node.localName === vnode.tag;
}

function create(doc, vnode, dispatch) {
  if ('text' in vnode) return doc.createTextNode(vnode.text);
  const element = doc.createElement(vnode.tag);
  if (vnode.tag === 'wx-button') element.setAttribute('role', 'button');
  element.addEventListener('click', (event) => fire(element, 'tap', event, dispatch));
  element.addEventListener('input', (event) => fire(element, 'input', event, dispatch));
  element.addEventListener('focus', (event) => fire(element, 'focus', event, dispatch));
  element.addEventListener('blur', (event) => fire(element, 'blur', event, dispatch));
  element.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') fire(element, 'confirm', event, dispatch);
  });
  update(element, vnode, dispatch);
  return element;
}

function update(node, vnode, dispatch) {
  if ('text' in vnode) {
    if (node.data !== vnode.text) node.data = vnode.text;
    return;
  }
  const before = node.__vnode?.attrs ?? {};
  for (const name of Object.keys(before)) {
    if (!(name in vnode.attrs)) setAttr(node, name, undefined);
  }
  for (const [name, value] of Object.entries(vnode.attrs)) setAttr(node, name, value);
  node.__vnode = vnode;
  patch(node, vnode.children, dispatch);
}

function setAttr(element, name, value) {
  if (element.localName === 'input') {
    if (name === 'value') {
      const text = value === undefined || value === null ? '' : String(value);
      if (element.value !== text) element.value = text;
      return;
    }
    if (name === 'password') {
      element.type = value ? 'password' : 'text';
      return;
    }
    if (name === 'type') {
      // number/digit keyboards: the value stays a string, as in WeChat; only the keyboard differs.
      element.setAttribute('inputmode', value === 'number' || value === 'digit' ? 'decimal' : 'text');
      return;
    }
  }
  if (name === 'style' && typeof value === 'string') value = rpxToPx(value);
  if (value === undefined || value === null || value === false) {
    element.removeAttribute(name);
  } else {
    element.setAttribute(name, value === true ? '' : String(value));
  }
  if (name === 'disabled') element.setAttribute('aria-disabled', String(Boolean(value)));
}

function target(element) {
  const vnode = element.__vnode ?? {};
  return { id: element.id || '', dataset: { ...(vnode.dataset ?? {}) } };
}

function fire(element, type, domEvent, dispatch) {
  const vnode = element.__vnode;
  if (!vnode) return;
  if (type === 'tap' && vnode.attrs.disabled) {
    domEvent.stopPropagation();
    return;
  }
  if (type === 'tap' && vnode.wxTag === 'navigator') {
    dispatch('navigator', '', { ...vnode.attrs }, element);
  }
  const binding = vnode.events[type];
  if (!binding) return;
  if (binding.catch) domEvent.stopPropagation();
  const origin = domEvent.target?.__vnode ? domEvent.target : element;
  const detail =
    element.localName === 'input'
      ? { value: element.value, cursor: element.selectionStart ?? element.value.length }
      : { x: domEvent.clientX ?? 0, y: domEvent.clientY ?? 0 };
  const event = {
    type,
    timeStamp: Math.round(domEvent.timeStamp ?? 0),
    target: target(origin),
    currentTarget: target(element),
    detail,
  };
  const result = dispatch(type, binding.handler, event, element);
  if (type === 'input' && typeof result === 'string' && element.value !== result) element.value = result;
}
