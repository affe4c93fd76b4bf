// Native components WeChat draws above the page (video, canvas, map) and the others that
// show outside content (web-view, open-data), as honest stand-ins: each is a box of its size
// that says what it would show, keeps its state, and fires its events when driven — by a
// shopper's tap (a video's play button) or by the app through its context
// (`wx.createVideoContext(id).play()`, see `contexts.js`). Nothing is fetched from outside:
// a web-view loads only a loopback page, a map draws no tiles, a video plays no stream.
//
// Also here: <image>/<cover-image> `load` and `error` with WeChat's detail, and
// <movable-view>, which a drag moves inside its <movable-area>.

import { emit } from '../events.js';

function caption(element, text) {
  let box = element.querySelector(':scope > wx-native-caption');
  if (!box) {
    box = element.ownerDocument.createElement('wx-native-caption');
    box.__keep = true;
    element.insertBefore(box, element.firstChild);
  }
  box.textContent = text;
  return box;
}

// <video> (and <audio>, <live-player>, <live-pusher>, which share it): a box with a play/pause button; `play`, `pause`, `ended`, `timeupdate`,
// `fullscreenchange` fire as a player's would. Its state is what the context reads.
export const video = {
  after(element, vnode, before, fresh, env) {
    element.setAttribute('role', 'region');
    element.setAttribute('aria-label', `video ${vnode.attrs.src ?? ''}`.trim());
    if (!element.__media) {
      element.__media = { playing: false, currentTime: Number(vnode.attrs['initial-time'] ?? 0) || 0, rate: 1, fullScreen: false, danmu: [] };
      const button = element.ownerDocument.createElement('wx-button');
      button.__keep = true;
      button.setAttribute('role', 'button');
      button.className = 'mp-video-toggle';
      button.addEventListener('click', (event) => {
        event.stopPropagation();
        if (element.__media.playing) mediaAction(element, 'pause', [], env);
        else mediaAction(element, 'play', [], env);
      });
      element.appendChild(button);
      element.__toggle = button;
      if (vnode.attrs.autoplay) setTimeout(() => element.isConnected && mediaAction(element, 'play', [], env), 0);
    }
    caption(element, `▶ ${vnode.attrs.title ?? vnode.attrs.src ?? ''}`);
    element.__toggle.textContent = element.__media.playing ? '暂停' : '播放';
    element.__toggle.setAttribute('aria-label', element.__media.playing ? 'pause' : 'play');
  },
};

/** A video context's (or a shopper's) action on a `<video>`, with the events it fires. */
export function mediaAction(element, action, args, env) {
  const media = element.__media;
  if (!media) return;
  const detailTime = () => ({ currentTime: media.currentTime, duration: Number(element.__vnode?.attrs.duration ?? 0) || 0 });
  switch (action) {
    case 'play':
    case 'start':
    case 'resume':
      if (media.playing) return;
      media.playing = true;
      emit(element, 'play', {}, env);
      // A live player or pusher reports its state by code (2004: playing; 1002: pushing).
      if (element.localName === 'wx-live-player') emit(element, 'statechange', { code: 2004, message: '视频播放开始' }, env);
      if (element.localName === 'wx-live-pusher') emit(element, 'statechange', { code: 1002, message: '已经与服务器握手完毕,开始推流' }, env);
      break;
    case 'pause':
      if (!media.playing) return;
      media.playing = false;
      emit(element, 'pause', {}, env);
      break;
    case 'stop':
      media.playing = false;
      media.currentTime = 0;
      emit(element, 'pause', {}, env);
      break;
    case 'seek':
      media.currentTime = Number(args[0]) || 0;
      emit(element, 'seekcomplete', { position: media.currentTime }, env);
      emit(element, 'timeupdate', detailTime(), env);
      break;
    case 'playbackRate':
      media.rate = Number(args[0]) || 1;
      break;
    case 'requestFullScreen':
    case 'exitFullScreen':
      media.fullScreen = action === 'requestFullScreen';
      emit(element, 'fullscreenchange', { fullScreen: media.fullScreen, direction: Number(args[0]?.direction ?? 0) === 0 ? 'vertical' : 'horizontal' }, env);
      break;
    case 'sendDanmu':
      media.danmu.push(args[0]);
      break;
    default:
      break;
  }
  if (element.__toggle) {
    element.__toggle.textContent = media.playing ? '暂停' : '播放';
    element.__toggle.setAttribute('aria-label', media.playing ? 'pause' : 'play');
  }
}

// <canvas>: a real HTML canvas of the component's size, which both the old API
// (`wx.createCanvasContext(canvasId)`) and `type="2d"` (the node from a selector query) draw
// on, so `canvasToTempFilePath` gives the picture that was drawn.
export const canvas = {
  own(element, vnode) {
    let real = element.querySelector(':scope > canvas');
    if (!real) {
      real = element.ownerDocument.createElement('canvas');
      real.__keep = true;
      element.appendChild(real);
    }
    const box = element.getBoundingClientRect?.() ?? { width: 0, height: 0 };
    const width = Math.round(box.width) || 300;
    const height = Math.round(box.height) || 150;
    if (vnode.attrs.type !== '2d' && (real.width !== width || real.height !== height)) {
      real.width = width;
      real.height = height;
    }
    element.setAttribute('role', 'img');
    element.setAttribute('aria-label', `canvas ${vnode.attrs['canvas-id'] ?? vnode.attrs.id ?? ''}`.trim());
  },
};

// <map>: a box naming its centre and markers; a tap on a marker's line fires `markertap`.
export const map = {
  own(element, vnode, before, fresh, env) {
    element.setAttribute('role', 'region');
    element.setAttribute('aria-label', 'map');
    const doc = element.ownerDocument;
    element.textContent = '';
    const centre = doc.createElement('wx-native-caption');
    centre.textContent = `🗺 ${vnode.attrs.latitude ?? ''}, ${vnode.attrs.longitude ?? ''}`;
    element.appendChild(centre);
    for (const marker of Array.isArray(vnode.attrs.markers) ? vnode.attrs.markers : []) {
      const line = doc.createElement('wx-map-marker');
      line.setAttribute('role', 'button');
      line.textContent = String(marker.title ?? marker.callout?.content ?? `${marker.latitude}, ${marker.longitude}`);
      line.addEventListener('click', () => {
        emit(element, 'markertap', { markerId: marker.id }, env);
        emit(element, 'callouttap', { markerId: marker.id }, env);
      });
      element.appendChild(line);
    }
  },
};

// <web-view src>: a loopback page is loaded in a frame; any other host is not loaded, and
// the attempt is recorded as an error naming it (as the browser's proxy names a request).
export const webView = {
  own(element, vnode, before, fresh, env) {
    if (!fresh && before.src === vnode.attrs.src) return;
    const src = String(vnode.attrs.src ?? '');
    element.textContent = '';
    let url;
    try {
      url = new URL(src, element.ownerDocument.location?.href);
    } catch {
      url = null;
    }
    env.services?.record?.('web-view', { src }, { errMsg: 'web-view:ok' });
    const loopback = url && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if (!loopback) {
      caption(element, `web-view: ${src} (outside the machine, not loaded)`);
      env.services?.recorder?.error('web-view', new Error(`<web-view src="${src}"> points outside the machine; mp-sim loads only loopback pages`));
      emit(element, 'error', { src, errMsg: 'web-view:fail outside host' }, env);
      return;
    }
    const frame = element.ownerDocument.createElement('iframe');
    frame.src = url.href;
    frame.addEventListener('load', () => emit(element, 'load', { src }, env));
    element.appendChild(frame);
  },
};

// <open-data>: what WeChat shows today for every user (a nickname of 微信用户, a grey avatar).
export const openData = {
  own(element, vnode) {
    const type = vnode.attrs.type ?? '';
    element.textContent = '';
    if (type === 'userAvatarUrl') {
      const img = element.ownerDocument.createElement('wx-open-avatar');
      img.setAttribute('role', 'img');
      img.setAttribute('aria-label', 'avatar');
      element.appendChild(img);
    } else if (type === 'userNickName') {
      element.textContent = '微信用户';
    } else if (type === 'groupName') {
      element.textContent = '群聊';
    }
  },
};

// <image>, <cover-image>: `load` with the picture's size, `error` with WeChat's errMsg.
export const image = {
  after(element, vnode, before, fresh, env) {
    if (element.__watched) return;
    element.__watched = true;
    element.addEventListener('load', () => emit(element, 'load', { width: element.naturalWidth, height: element.naturalHeight }, env));
    element.addEventListener('error', () => emit(element, 'error', { errMsg: `GET ${element.getAttribute('src') ?? ''} 404 (Not Found)` }, env));
  },
};

// <movable-view> in a <movable-area>: `x`/`y` from the data place it; a drag moves it and
// fires `change` with `{x, y, source: 'touch'}`.
export const movableView = {
  after(element, vnode, before, fresh, env) {
    if (fresh || before.x !== vnode.attrs.x || before.y !== vnode.attrs.y) {
      element.__x = Number(vnode.attrs.x) || 0;
      element.__y = Number(vnode.attrs.y) || 0;
    }
    element.style.transform = `translate(${element.__x}px, ${element.__y}px)`;
    if (element.__drags) return;
    element.__drags = true;
    let start = null;
    element.addEventListener('pointerdown', (event) => {
      if (element.__vnode?.attrs.disabled) return;
      start = { px: event.clientX, py: event.clientY, x: element.__x, y: element.__y };
    });
    element.addEventListener('pointerup', (event) => {
      if (!start) return;
      const direction = element.__vnode?.attrs.direction ?? 'none';
      const dx = direction === 'all' || direction === 'horizontal' ? event.clientX - start.px : 0;
      const dy = direction === 'all' || direction === 'vertical' ? event.clientY - start.py : 0;
      start = null;
      if (!dx && !dy) return;
      element.__x += dx;
      element.__y += dy;
      element.style.transform = `translate(${element.__x}px, ${element.__y}px)`;
      emit(element, 'change', { x: element.__x, y: element.__y, source: 'touch' }, env);
    });
  },
};
