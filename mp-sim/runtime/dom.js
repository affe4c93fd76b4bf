// Virtual nodes (wxml/render.js) → real DOM, patched in place on every setData so that
// elements WebDriver holds stay valid and a focused input keeps its caret. Children with a
// `wx:key` are matched by key, so a re-ordered list moves its elements instead of rewriting
// them. A custom component's host element is created here and handed to the runtime
// (`env.mount`), which renders the component's own template into it; on later renders the
// host only receives new properties and slots (`env.receive`), and a removed host is
// detached (`env.unmount`) with every component inside it.
//
// Events: a `tap` is a DOM click (WebDriver's Element Click), `input` the DOM input event.
// Handlers are looked up when the event fires, so a re-render never re-binds listeners, and
// each goes to the page or component whose template bound it. `catch` stops the event at
// that element; a disabled button fires nothing, as in WeChat.

import { rpxToPx } from './wxss.js';
import { targetOf, marksBetween } from './events.js';
import { BUILT_IN_VIEWS } from './built_in/index.js';
import { animationStyle } from './wx/animation.js';

export { targetOf };

/**
 * What patching needs from the runtime.
 *
 * @typedef {object} PatchEnv
 * @property {(owner: object, handler: string|Function, event: object, element: Element) => any} dispatch
 * @property {(vnode: object, host: Element) => object} [mount] renders a new component into `host`
 * @property {(instance: object, vnode: object) => void} [receive] gives a component new properties and slots
 * @property {(instance: object) => void} [unmount] a component's host left the page
 * @property {(attrs: object) => void} [navigator] a `<navigator>` was tapped
 */

/**
 * Makes `container`'s children match `vnodes`.
 *
 * @param {Element} container
 * @param {object[]} vnodes
 * @param {PatchEnv|Function} env (a bare function is `env.dispatch`)
 */
export function patch(container, vnodes, env) {
  if (typeof env === 'function') env = { dispatch: env };
  const doc = container.ownerDocument;
  // Nodes the runtime put there itself (a custom tab bar) are not the template's.
  const old = [...container.childNodes].filter((node) => !node.__keep);
  // Nodes by key; a key given twice (a list with duplicate ids) keeps each node, in order.
  const byKey = new Map();
  for (const node of old) {
    const key = node.__vnode?.key;
    if (key === undefined) continue;
    if (!byKey.has(keyOf(node.__vnode))) byKey.set(keyOf(node.__vnode), []);
    byKey.get(keyOf(node.__vnode)).push(node);
  }
  const used = new Set();
  let cursor = 0;
  const pairs = vnodes.map((vnode) => {
    let node;
    if (vnode.key !== undefined) {
      node = byKey.get(keyOf(vnode))?.find((candidate) => !used.has(candidate) && sameKind(candidate, vnode));
    } else {
      while (cursor < old.length && (used.has(old[cursor]) || old[cursor].__vnode?.key !== undefined)) cursor += 1;
      node = old[cursor];
      if (node) cursor += 1;
    }
    if (node && (used.has(node) || !sameKind(node, vnode))) node = undefined;
    if (node) used.add(node);
    return { node: node ?? shell(doc, vnode, env), vnode, fresh: !node };
  });
  for (const node of old) if (!used.has(node)) remove(node, env);
  // In the page before they are filled, so a component finds its ancestors when attached.
  pairs.forEach(({ node }, i) => {
    if (container.childNodes[i] !== node) container.insertBefore(node, container.childNodes[i] ?? null);
  });
  for (const { node, vnode, fresh } of pairs) fill(node, vnode, fresh, env);
}

/** Removes `node`, detaching every component in it first. */
export function remove(node, env) {
  if (node.nodeType === 1) {
    const hosts = [node, ...node.querySelectorAll('*')].filter((n) => n.__instance);
    for (const host of hosts) env.unmount?.(host.__instance);
  }
  node.remove();
}

function keyOf(vnode) {
  return `${vnode.tag}|${vnode.key}`;
}

function sameKind(node, vnode) {
  if ('text' in vnode) return node.nodeType === 3;
  if (node.nodeType !== 1 || node.localName !== vnode.tag.toLowerCase()) return false;
  return (node.__vnode?.component ?? null) === (vnode.component ?? null);
}

const DOM_EVENTS = [
  ['click', 'tap'],
  ['input', 'input'],
  ['focus', 'focus'],
  ['blur', 'blur'],
  ['touchstart', 'touchstart'],
  ['touchmove', 'touchmove'],
  ['touchend', 'touchend'],
  ['touchcancel', 'touchcancel'],
  ['transitionend', 'transitionend'],
  ['animationstart', 'animationstart'],
  ['animationiteration', 'animationiteration'],
  ['animationend', 'animationend'],
];

function shell(doc, vnode, env) {
  if ('text' in vnode) return doc.createTextNode(vnode.text);
  const element = doc.createElement(vnode.tag);
  if (vnode.tag === 'wx-button') element.setAttribute('role', 'button');
  for (const [domType, type] of DOM_EVENTS) {
    element.addEventListener(domType, (event) => fire(element, `capture:${type}`, event, env), true);
    element.addEventListener(domType, (event) => fire(element, type, event, env));
  }
  element.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') fire(element, 'confirm', event, env);
  });
  return element;
}

function fill(node, vnode, fresh, env) {
  if ('text' in vnode) {
    if (node.data !== vnode.text) node.data = vnode.text;
    return;
  }
  const before = fresh ? {} : node.__vnode?.attrs ?? {};
  for (const name of Object.keys(before)) {
    if (!(name in vnode.attrs)) setAttr(node, name, undefined);
  }
  // Only what the data changed is applied, as WeChat's view layer applies a setData: an
  // input's value the user typed stays until the data says otherwise.
  for (const [name, value] of Object.entries(vnode.attrs)) {
    if (!fresh && name in before && before[name] === value) continue;
    setAttr(node, name, value);
  }
  node.__vnode = vnode;
  // `animation="{{wx.createAnimation()…export()}}"`: its end state as a CSS transition.
  if (vnode.attrs.animation !== before.animation && vnode.attrs.animation) {
    for (const [property, value] of Object.entries(animationStyle(vnode.attrs.animation) ?? {})) node.style.setProperty(property, value);
  }
  if (vnode.component) {
    if (fresh || !node.__instance) node.__instance = env.mount(vnode, node);
    else env.receive(node.__instance, vnode);
    return;
  }
  const builtIn = BUILT_IN_VIEWS[vnode.wxTag];
  if (builtIn?.own) {
    builtIn.own(node, vnode, before, fresh, env);
    return;
  }
  patch(node, vnode.children, env);
  builtIn?.after?.(node, vnode, before, fresh, env);
}

function setAttr(element, name, value) {
  if (name === 'slot' || (name === 'nodes' && element.localName === 'wx-rich-text')) return;
  if (name === 'animation') return; // drawn by its built-in (built_in/index.js)
  if (element.localName === 'input' || element.localName === 'textarea') {
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
  if (name === 'style' && value && typeof value === 'object') value = '';
  if (value === undefined || value === null || value === false) {
    element.removeAttribute(name);
  } else {
    element.setAttribute(name, value === true ? '' : String(value));
  }
  if (name === 'disabled') element.setAttribute('aria-disabled', String(Boolean(value)));
}

function fire(element, type, domEvent, env) {
  const vnode = element.__vnode;
  if (!vnode) return;
  const plainType = type.replace(/^capture:/, '');
  if (plainType === 'tap' && vnode.attrs.disabled && !vnode.component) {
    domEvent.stopPropagation();
    return;
  }
  if (type === 'tap' && vnode.wxTag === 'navigator') env.navigator?.({ ...vnode.attrs });
  if (type === 'input' && vnode.model?.path && vnode.owner?.setData) {
    vnode.owner.setData({ [vnode.model.path]: element.value });
  }
  const binding = vnode.events[type];
  if (binding) handle(element, binding, type, plainType, domEvent, env);
  // What the component itself does when tapped: a switch flips, a form submits, a picker opens.
  if (type === 'tap') BUILT_IN_VIEWS[vnode.wxTag]?.tap?.(element, domEvent, env);
}

function handle(element, binding, type, plainType, domEvent, env) {
  // Inside a component a listener outside it sees the component's host as the target.
  let origin = domEvent.target;
  while (origin && origin !== element && origin.__vnode?.owner !== binding.owner) origin = origin.parentElement;
  if (!origin?.__vnode) origin = element;
  if (binding.catch) domEvent.stopPropagation();
  if (binding.mut) {
    if (domEvent.__mutHandled) return;
    domEvent.__mutHandled = true;
  }
  const detail =
    element.localName === 'input' || element.localName === 'textarea'
      ? { value: element.value, cursor: element.selectionStart ?? element.value.length, keyCode: domEvent.keyCode }
      : { x: domEvent.clientX ?? domEvent.pageX ?? 0, y: domEvent.clientY ?? domEvent.pageY ?? 0 };
  const touches = [...(domEvent.touches ?? [])].map(touch);
  const changedTouches = [...(domEvent.changedTouches ?? [])].map(touch);
  const event = {
    type: plainType,
    timeStamp: Math.round(domEvent.timeStamp ?? 0),
    target: targetOf(origin),
    currentTarget: targetOf(element),
    mark: marksBetween(domEvent.target?.nodeType === 1 ? domEvent.target : origin, element),
    detail,
    touches: touches.length || plainType !== 'tap' ? touches : [{ identifier: 0, pageX: detail.x, pageY: detail.y, clientX: detail.x, clientY: detail.y }],
    changedTouches: changedTouches.length || plainType !== 'tap' ? changedTouches : [{ identifier: 0, pageX: detail.x, pageY: detail.y, clientX: detail.x, clientY: detail.y }],
  };
  const result = env.dispatch(binding.owner, binding.handler, event, element);
  if (type === 'input' && typeof result === 'string' && element.value !== result) element.value = result;
}

function touch(t) {
  return { identifier: t.identifier, pageX: t.pageX, pageY: t.pageY, clientX: t.clientX, clientY: t.clientY, force: t.force };
}
