// The contexts an app drives native components through: `wx.createVideoContext(id)`,
// `wx.createCanvasContext(canvasId)` (the old canvas API, drawn for real on the component's
// canvas), `wx.canvasToTempFilePath`, `wx.createMapContext(id)`, a `type="2d"` canvas node,
// and `wx.createIntersectionObserver` over the real layout. Each looks its element up in the
// page on top (or in the component passed as WeChat's second argument).

import { mediaAction } from './media.js';

/** The element with `id` (or `canvas-id`) in `scope`'s tree, or null. */
function byId(root, id, attribute = 'id') {
  if (!root) return null;
  const quoted = String(id).replace(/"/g, '\\"');
  if (attribute === 'id') return root.querySelector(`[id="${quoted}"]`);
  return [...root.querySelectorAll('wx-canvas')].find((c) => String(c.__vnode?.attrs['canvas-id'] ?? '') === String(id)) ?? null;
}

/**
 * The context factories.
 *
 * @param {object} deps
 * @param {() => Element|null} deps.root the page on top's element
 * @param {object} deps.env the view's event environment (dispatch)
 * @param {object} deps.files `Files`, where canvas pictures become temporary files
 */
export function contexts({ root, env, files }) {
  const scopeOf = (component) => component?.__host ?? root();

  const video = (id, component) => {
    const find = () => byId(scopeOf(component), id);
    const act = (action) => (...args) => {
      const element = find();
      if (element) mediaAction(element, action, args, env);
    };
    return Object.fromEntries(['play', 'pause', 'stop', 'seek', 'playbackRate', 'requestFullScreen', 'exitFullScreen', 'sendDanmu', 'showStatusBar', 'hideStatusBar', 'requestPictureInPicture', 'exitPictureInPicture'].map((name) => [name, act(name)]));
  };

  // The old API: calls are queued and drawn on `draw()`, setters map to the 2D context's.
  const canvas = (canvasId, component) => {
    const queue = [];
    const context = {};
    const setters = {
      setFillStyle: 'fillStyle', setStrokeStyle: 'strokeStyle', setLineWidth: 'lineWidth', setLineCap: 'lineCap', setLineJoin: 'lineJoin',
      setMiterLimit: 'miterLimit', setGlobalAlpha: 'globalAlpha', setTextAlign: 'textAlign', setTextBaseline: 'textBaseline',
    };
    for (const [setter, property] of Object.entries(setters)) context[setter] = (value) => queue.push((ctx) => { ctx[property] = value; });
    context.setFontSize = (size) => queue.push((ctx) => { ctx.font = `${size}px sans-serif`; });
    context.setShadow = (x, y, blur, color) => queue.push((ctx) => Object.assign(ctx, { shadowOffsetX: x, shadowOffsetY: y, shadowBlur: blur, shadowColor: color }));
    for (const property of ['fillStyle', 'strokeStyle', 'lineWidth', 'font', 'globalAlpha', 'textAlign', 'textBaseline', 'lineCap', 'lineJoin', 'shadowColor', 'shadowBlur', 'shadowOffsetX', 'shadowOffsetY', 'globalCompositeOperation']) {
      Object.defineProperty(context, property, { set: (value) => queue.push((ctx) => { ctx[property] = value; }), enumerable: true });
    }
    for (const method of ['fillRect', 'strokeRect', 'clearRect', 'beginPath', 'closePath', 'moveTo', 'lineTo', 'arc', 'arcTo', 'rect', 'quadraticCurveTo', 'bezierCurveTo', 'fill', 'stroke', 'clip', 'fillText', 'strokeText', 'save', 'restore', 'translate', 'rotate', 'scale', 'transform', 'setTransform', 'setLineDash']) {
      context[method] = (...args) => queue.push((ctx) => ctx[method](...args));
    }
    context.drawImage = (src, ...args) => queue.push(async (ctx) => {
      const image = await loadImage(ctx.canvas.ownerDocument, src);
      ctx.drawImage(image, ...args);
    });
    context.measureText = (text) => {
      const element = byId(scopeOf(component), canvasId, 'canvas-id');
      return element?.querySelector('canvas')?.getContext('2d')?.measureText(String(text)) ?? { width: String(text).length * 10 };
    };
    context.createLinearGradient = (...args) => gradient('createLinearGradient', args);
    context.createCircularGradient = (x, y, r) => gradient('createRadialGradient', [x, y, 0, x, y, r]);
    context.draw = (reserve = false, callback) => {
      const steps = queue.splice(0);
      const element = byId(scopeOf(component), canvasId, 'canvas-id');
      const ctx = element?.querySelector('canvas')?.getContext('2d');
      if (!ctx) return;
      (async () => {
        if (!reserve) ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
        for (const step of steps) await step(ctx);
        callback?.();
      })();
    };
    // A gradient is built when drawn, on the real context.
    function gradient(kind, args) {
      const stops = [];
      return { addColorStop: (offset, color) => stops.push([offset, color]), __make: (ctx) => { const g = ctx[kind](...args); for (const s of stops) g.addColorStop(...s); return g; } };
    }
    for (const setter of ['setFillStyle', 'setStrokeStyle']) {
      const plain = context[setter];
      context[setter] = (value) => (value?.__make ? queue.push((ctx) => { ctx[setters[setter]] = value.__make(ctx); }) : plain(value));
    }
    return context;
  };

  const canvasToTempFilePath = async (args) => {
    const element = args.canvas ?? byId(root(), args.canvasId, 'canvas-id')?.querySelector('canvas');
    const real = element?.localName === 'canvas' ? element : element?.querySelector?.('canvas');
    if (!real) throw `canvas ${args.canvasId ?? ''} not found`;
    const type = args.fileType === 'jpg' ? 'image/jpeg' : 'image/png';
    const blob = await new Promise((resolve) => real.toBlob(resolve, type, Number(args.quality ?? 1)));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    return { tempFilePath: files.addTemp(bytes, { name: `canvas.${args.fileType === 'jpg' ? 'jpg' : 'png'}`, type }) };
  };

  const map = (id, component) => {
    const attrs = () => byId(scopeOf(component), id)?.__vnode?.attrs ?? {};
    const ok = (name) => (args = {}) => {
      const res = { errMsg: `${name}:ok` };
      args.success?.(res);
      args.complete?.(res);
      return Promise.resolve(res);
    };
    return {
      getCenterLocation(args = {}) {
        const res = { errMsg: 'getCenterLocation:ok', latitude: Number(attrs().latitude) || 0, longitude: Number(attrs().longitude) || 0 };
        args.success?.(res);
        args.complete?.(res);
        return Promise.resolve(res);
      },
      getScale(args = {}) {
        const res = { errMsg: 'getScale:ok', scale: Number(attrs().scale) || 16 };
        args.success?.(res);
        args.complete?.(res);
        return Promise.resolve(res);
      },
      moveToLocation: ok('moveToLocation'),
      includePoints: ok('includePoints'),
      translateMarker: ok('translateMarker'),
      addMarkers: ok('addMarkers'),
      removeMarkers: ok('removeMarkers'),
      getRegion: ok('getRegion'),
      setCenterOffset: ok('setCenterOffset'),
    };
  };

  // Over the real layout: `relativeToViewport` (or an element) and `observe(selector)`; the
  // callback gets WeChat's `{intersectionRatio, intersectionRect, boundingClientRect, …}`.
  const intersectionObserver = (component, options = {}) => {
    let rootElement = null;
    let margins = '0px';
    let observer = null;
    const thresholds = options.thresholds ?? [0];
    const api = {
      relativeTo(selector, m = {}) {
        rootElement = scopeOf(component)?.querySelector(selector) ?? null;
        margins = marginText(m);
        return api;
      },
      relativeToViewport(m = {}) {
        rootElement = null;
        margins = marginText(m);
        return api;
      },
      observe(selector, callback) {
        const Observer = globalThis.IntersectionObserver;
        if (!Observer) return;
        const scope = scopeOf(component);
        const targets = options.observeAll ? [...(scope?.querySelectorAll(selector) ?? [])] : [scope?.querySelector(selector)].filter(Boolean);
        observer = new Observer((entries) => {
          for (const entry of entries) {
            callback({
              id: entry.target.id || '',
              dataset: { ...(entry.target.__vnode?.dataset ?? {}) },
              time: Math.round(entry.time),
              intersectionRatio: entry.intersectionRatio,
              intersectionRect: rect(entry.intersectionRect),
              boundingClientRect: rect(entry.boundingClientRect),
              relativeRect: rect(entry.rootBounds ?? { left: 0, top: 0, right: 0, bottom: 0, width: 0, height: 0 }),
            });
          }
        }, { root: rootElement, rootMargin: margins, threshold: thresholds });
        for (const target of targets) observer.observe(target);
      },
      disconnect() {
        observer?.disconnect();
      },
    };
    return api;
  };

  // Live players and pushers, and the old audio context, share the video stand-in's actions.
  const livePlayer = (id, component) => {
    const context = video(id, component);
    const find = () => byId(scopeOf(component), id);
    for (const name of ['resume', 'mute', 'snapshot', 'requestSubscribeMessage']) context[name] = (...args) => find() && mediaAction(find(), name, args, env);
    return context;
  };
  const livePusher = (component) => {
    const find = () => scopeOf(component)?.querySelector('wx-live-pusher');
    const act = (action) => (options = {}) => {
      const element = find();
      if (element) mediaAction(element, action, [], env);
      const res = { errMsg: `${action}:ok` };
      options.success?.(res);
      options.complete?.(res);
    };
    return Object.fromEntries(['start', 'stop', 'pause', 'resume', 'switchCamera', 'snapshot', 'toggleTorch', 'playBGM', 'stopBGM', 'startPreview', 'stopPreview'].map((name) => [name, act(name)]));
  };
  const audio = (id, component) => {
    const context = video(id, component);
    context.setSrc = () => {};
    return context;
  };

  return { video, canvas, canvasToTempFilePath, map, intersectionObserver, livePlayer, livePusher, audio };
}

function marginText(m) {
  return `${m.top ?? 0}px ${m.right ?? 0}px ${m.bottom ?? 0}px ${m.left ?? 0}px`;
}

function rect(r) {
  return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
}

function loadImage(doc, src) {
  return new Promise((resolve, reject) => {
    const image = doc.createElement('img');
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error(`could not load ${src}`));
    image.src = src;
  });
}

/** A `type="2d"` canvas as a selector query's `node`: the real canvas plus WeChat's extras. */
export function canvasNode(element) {
  const real = element.querySelector(':scope > canvas');
  if (!real) return element;
  const view = real.ownerDocument.defaultView;
  real.createImage ??= () => real.ownerDocument.createElement('img');
  real.requestAnimationFrame ??= (callback) => view.requestAnimationFrame(callback);
  real.cancelAnimationFrame ??= (handle) => view.cancelAnimationFrame(handle);
  real.createPath2D ??= (path) => new view.Path2D(path);
  return real;
}
