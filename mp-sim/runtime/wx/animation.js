// `wx.createAnimation`: a chain of transforms and styles grouped into steps; `export()` gives
// the `{actions}` a WXML `animation="{{…}}"` attribute takes, which the view applies as CSS
// transitions (dom.js). Shapes follow the base library's, so an app that inspects them reads
// what it would in WeChat.

const TRANSFORMS = ['matrix', 'matrix3d', 'rotate', 'rotate3d', 'rotateX', 'rotateY', 'rotateZ', 'scale', 'scale3d', 'scaleX', 'scaleY', 'scaleZ', 'skew', 'skewX', 'skewY', 'translate', 'translate3d', 'translateX', 'translateY', 'translateZ'];
const STYLES = ['opacity', 'backgroundColor', 'width', 'height', 'left', 'right', 'top', 'bottom'];

/** An Animation as `wx.createAnimation(options)` returns it. */
export function createAnimation(options = {}) {
  const defaults = {
    duration: Number(options.duration ?? 400),
    timingFunction: options.timingFunction ?? 'linear',
    delay: Number(options.delay ?? 0),
    transformOrigin: options.transformOrigin ?? '50% 50% 0',
  };
  let animates = [];
  let actions = [];
  const animation = {
    step(stepOptions = {}) {
      actions.push({ animates, option: { transformOrigin: stepOptions.transformOrigin ?? defaults.transformOrigin, transition: { duration: Number(stepOptions.duration ?? defaults.duration), timingFunction: stepOptions.timingFunction ?? defaults.timingFunction, delay: Number(stepOptions.delay ?? defaults.delay) } } });
      animates = [];
      return animation;
    },
    export() {
      if (animates.length) animation.step();
      const out = { actions };
      actions = [];
      return out;
    },
  };
  for (const name of TRANSFORMS) {
    animation[name] = (...args) => {
      animates.push({ type: name, args });
      return animation;
    };
  }
  for (const name of STYLES) {
    animation[name] = (value) => {
      animates.push({ type: 'style', args: [name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), typeof value === 'number' && name !== 'opacity' ? `${value}px` : value] });
      return animation;
    };
  }
  return animation;
}

const UNITS = { rotate: 'deg', rotateX: 'deg', rotateY: 'deg', rotateZ: 'deg', skew: 'deg', skewX: 'deg', skewY: 'deg', translate: 'px', translateX: 'px', translateY: 'px', translateZ: 'px', translate3d: 'px' };

/**
 * The CSS the last step of `exported` leaves an element with (`{transform, transition, …}`),
 * which the view sets; steps before it are passed through, as their end state is overridden.
 */
export function animationStyle(exported) {
  const actions = exported?.actions;
  if (!Array.isArray(actions) || !actions.length) return null;
  const style = {};
  const transforms = [];
  let option = actions[actions.length - 1].option;
  for (const action of actions) {
    for (const { type, args } of action.animates ?? []) {
      if (type === 'style') style[args[0]] = String(args[1]);
      else {
        const unit = UNITS[type] ?? '';
        transforms.push(`${type}(${args.map((a) => (typeof a === 'number' && unit ? `${a}${unit}` : a)).join(', ')})`);
      }
    }
    option = action.option ?? option;
  }
  if (transforms.length) style.transform = transforms.join(' ');
  const t = option?.transition ?? {};
  style.transition = `all ${t.duration ?? 400}ms ${t.timingFunction ?? 'linear'} ${t.delay ?? 0}ms`;
  style['transform-origin'] = option?.transformOrigin ?? '50% 50% 0';
  return style;
}
