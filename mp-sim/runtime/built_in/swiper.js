// <swiper>/<swiper-item>.

import { emit } from '../events.js';

// <swiper>: one item shown at a time. `current` from the data moves it (no event, as in
// WeChat); a shopper's tap on an indicator dot or a swipe moves it and fires `change` with
// `{current, source: 'touch'}`. Autoplay (off unless asked) moves it every `interval` ms.
export function swiper(element, vnode, before, fresh, env) {
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
