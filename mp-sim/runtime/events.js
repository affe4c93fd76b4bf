// The event objects WXML handlers receive: `target`/`currentTarget` as `{id, dataset}`, the
// `mark:*` values on the way up, and a built-in component's own events (`change` of a switch,
// `submit` of a form), which go to the page or component whose template bound them.

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

/** Fires a WeChat event of a built-in component (`change` of a swiper) at its binding. */
export function emit(element, type, detail, env) {
  const binding = element.__vnode?.events?.[type];
  if (!binding) return undefined;
  const event = { type, timeStamp: Math.round(performance.now()), target: targetOf(element), currentTarget: targetOf(element), mark: marksBetween(element, element), detail };
  return env.dispatch(binding.owner, binding.handler, event, element);
}
