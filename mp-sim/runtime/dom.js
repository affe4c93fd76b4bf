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
import { decodeEntities } from './wxml/parse.js';

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
  if (vnode.component) {
    if (fresh || !node.__instance) node.__instance = env.mount(vnode, node);
    else env.receive(node.__instance, vnode);
    return;
  }
  if (vnode.wxTag === 'rich-text') {
    richText(node, vnode.attrs.nodes, before.nodes, fresh);
    return;
  }
  patch(node, vnode.children, env);
  if (vnode.wxTag === 'swiper') swiper(node, vnode, before, fresh, env);
}

// <swiper>: one item shown at a time. `current` from the data moves it (no event, as in
// WeChat); a shopper's tap on an indicator dot or a swipe moves it and fires `change` with
// `{current, source: 'touch'}`. Autoplay (off unless asked) moves it every `interval` ms.
function swiper(element, vnode, before, fresh, env) {
  const items = [...element.children].filter((c) => c.localName === 'wx-swiper-item');
  const count = items.length;
  const wanted = Number(vnode.attrs.current ?? 0) || 0;
  if (fresh || before.current !== vnode.attrs.current || element.__current === undefined) element.__current = wanted;
  element.__current = count ? Math.min(Math.max(0, element.__current), count - 1) : 0;
  items.forEach((item, i) => {
    item.hidden = i !== element.__current;
  });
  let dots = element.querySelector(':scope > wx-swiper-dots');
  if (vnode.attrs['indicator-dots'] && count > 1) {
    if (!dots) {
      dots = element.ownerDocument.createElement('wx-swiper-dots');
      dots.__keep = true;
      dots.setAttribute('role', 'tablist');
      element.appendChild(dots);
    }
    while (dots.children.length > count) dots.lastChild.remove();
    while (dots.children.length < count) {
      const dot = element.ownerDocument.createElement('wx-swiper-dot');
      dot.setAttribute('role', 'tab');
      dot.addEventListener('click', (event) => {
        event.stopPropagation();
        move(element, [...dots.children].indexOf(dot), 'touch', env);
      });
      dots.appendChild(dot);
    }
    [...dots.children].forEach((dot, i) => {
      dot.setAttribute('aria-selected', String(i === element.__current));
      dot.setAttribute('aria-label', `${i + 1} / ${count}`);
    });
  } else if (dots) {
    dots.remove();
  }
  if (!element.__swipe) {
    element.__swipe = true;
    let startX = null;
    element.addEventListener('pointerdown', (event) => {
      startX = event.clientX;
    });
    element.addEventListener('pointerup', (event) => {
      if (startX === null) return;
      const dx = event.clientX - startX;
      startX = null;
      if (Math.abs(dx) > 30) move(element, element.__current + (dx < 0 ? 1 : -1), 'touch', env);
    });
  }
  clearInterval(element.__autoplay);
  if (vnode.attrs.autoplay && count > 1) {
    element.__autoplay = setInterval(() => {
      if (!element.isConnected) return clearInterval(element.__autoplay);
      return move(element, element.__current + 1, 'autoplay', env);
    }, Number(vnode.attrs.interval ?? 5000) || 5000);
  }
}

function move(element, index, source, env) {
  const items = [...element.children].filter((c) => c.localName === 'wx-swiper-item');
  if (!items.length) return;
  const circular = Boolean(element.__vnode?.attrs.circular);
  let next = index;
  if (next >= items.length) next = circular ? 0 : items.length - 1;
  if (next < 0) next = circular ? items.length - 1 : 0;
  if (next === element.__current) return;
  element.__current = next;
  items.forEach((item, i) => {
    item.hidden = i !== next;
  });
  element.querySelectorAll(':scope > wx-swiper-dots > wx-swiper-dot').forEach((dot, i) => dot.setAttribute('aria-selected', String(i === next)));
  const itemId = element.__vnode?.children?.filter((c) => c.wxTag === 'swiper-item')[next]?.attrs?.['item-id'] ?? '';
  emit(element, 'change', { current: next, currentItemId: itemId, source }, env);
  emit(element, 'animationfinish', { current: next, currentItemId: itemId, source }, env);
}

/** Fires a WeChat event of a built-in component (`change` of a swiper) at its binding. */
export function emit(element, type, detail, env) {
  const binding = element.__vnode?.events?.[type];
  if (!binding) return undefined;
  const event = { type, timeStamp: Math.round(performance.now()), target: targetOf(element), currentTarget: targetOf(element), mark: marksBetween(element, element), detail };
  return env.dispatch(binding.owner, binding.handler, event, element);
}

// <rich-text nodes>: an HTML string or WeChat's node array, drawn as real elements. Only
// the tags and attributes WeChat allows are kept: no script, no handlers, no frames.
const RICH_TAGS = new Set('a abbr address article aside b bdi bdo big blockquote br caption center cite code col colgroup dd del div dl dt em fieldset font footer h1 h2 h3 h4 h5 h6 header hr i img ins label legend li mark nav ol p pre q rt ruby s section small span strong sub sup table tbody td tfoot th thead tr tt u ul'.split(' '));
const RICH_DROPPED = new Set(['script', 'style', 'iframe', 'object', 'embed', 'template', 'noscript', 'link', 'meta']);
const RICH_ATTRS = new Set(['class', 'style', 'src', 'alt', 'width', 'height', 'align', 'colspan', 'rowspan', 'span', 'start', 'type', 'dir', 'color', 'face', 'size', 'cellpadding', 'cellspacing', 'border']);

function richText(element, nodes, previous, fresh) {
  if (!fresh && nodes === previous) return;
  const doc = element.ownerDocument;
  element.textContent = '';
  const build = (list, parent) => {
    for (const node of list ?? []) {
      if (node === null || typeof node !== 'object') continue;
      if (node.type === 'text') {
        parent.appendChild(doc.createTextNode(decodeEntities(String(node.text ?? ''))));
        continue;
      }
      const name = String(node.name ?? '').toLowerCase();
      if (RICH_DROPPED.has(name)) continue;
      if (!RICH_TAGS.has(name)) {
        build(node.children, parent);
        continue;
      }
      const child = doc.createElement(name);
      for (const [attr, value] of Object.entries(node.attrs ?? {})) {
        if (RICH_ATTRS.has(attr.toLowerCase())) child.setAttribute(attr, attr === 'style' ? rpxToPx(String(value)) : String(value));
      }
      build(node.children, child);
      parent.appendChild(child);
    }
  };
  if (typeof nodes === 'string') {
    const template = doc.createElement('template');
    template.innerHTML = nodes;
    build(toNodes(template.content.childNodes), element);
  } else if (Array.isArray(nodes)) {
    build(nodes, element);
  }
}

function toNodes(domNodes) {
  return [...domNodes].map((n) => {
    if (n.nodeType === 3) return { type: 'text', text: n.data };
    if (n.nodeType !== 1) return null;
    return { name: n.localName, attrs: Object.fromEntries([...n.attributes].map((a) => [a.name, a.value])), children: toNodes(n.childNodes) };
  });
}


function setAttr(element, name, value) {
  if (name === 'slot' || (name === 'nodes' && element.localName === 'wx-rich-text')) return;
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

/** `{id, dataset}` of an element, as an event's target and currentTarget carry them. */
export function targetOf(element) {
  const vnode = element?.__vnode ?? {};
  return { id: element?.id || '', dataset: { ...(vnode.dataset ?? {}) } };
}

/** The `mark:*` values from `from` up to and including `to`. */
export function marksBetween(from, to) {
  const marks = {};
  for (let node = from; node; node = node.parentElement) {
    for (const [name, value] of Object.entries(node.__vnode?.marks ?? {})) if (!(name in marks)) marks[name] = value;
    if (node === to) break;
  }
  return marks;
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
  if (!binding) return;
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
