// What the phone itself does for a Mini Program: the clipboard (WeChat shows "内容已复制"),
// phone calls and vibration (recorded), the network type, and the user's permissions —
// `getSetting`, `authorize`, `openSetting` — which a scenario decides (`User.refuse`); the
// user grants anything else when asked, as a tester taps "允许".

import { User } from './user.js';

export class Device {
  /**
   * @param {import('./interaction.js').Interaction} [interaction] where the copy toast shows
   * @param {User} [user] what the shopper allows
   */
  constructor(interaction, user = new User()) {
    this.interaction = interaction;
    this.user = user;
    this.clipboard = '';
    this.brightness = 0.5;
  }

  /** The user will refuse `scope` (`scope.userLocation`, or a name `User.refuse` knows) when asked. */
  deny(scope) {
    this.user.refuse(scope);
  }

  apis(async, sync) {
    return {
      setClipboardData: async('setClipboardData', (args) => {
        if (typeof args.data !== 'string') throw 'parameter error: parameter.data should be String';
        this.clipboard = args.data;
        this.interaction?.show({ kind: 'toast', title: '内容已复制', icon: 'success' }, 1500);
        return { data: args.data };
      }),
      getClipboardData: async('getClipboardData', () => ({ data: this.clipboard })),
      makePhoneCall: async('makePhoneCall', (args) => {
        if (typeof args.phoneNumber !== 'string' || !args.phoneNumber) throw 'parameter error: parameter.phoneNumber should be String';
        return {};
      }),
      vibrateShort: async('vibrateShort', () => ({})),
      vibrateLong: async('vibrateLong', () => ({})),
      getNetworkType: async('getNetworkType', () => ({ networkType: 'wifi', signalStrength: 100, hasSystemProxy: false })),
      onNetworkStatusChange: () => {},
      offNetworkStatusChange: () => {},
      getSetting: async('getSetting', () => ({ authSetting: this.user.authSetting() })),
      authorize: async('authorize', (args) => {
        const scope = String(args.scope ?? '');
        if (!scope.startsWith('scope.')) throw 'parameter error: parameter.scope should be a scope.* name';
        this.user.ask(scope);
        return {};
      }),
      openSetting: async('openSetting', () => ({ authSetting: this.user.openSettings() })),
      setKeepScreenOn: async('setKeepScreenOn', () => ({})),
      getScreenBrightness: async('getScreenBrightness', () => ({ value: this.brightness })),
      setScreenBrightness: async('setScreenBrightness', (args) => {
        const value = Number(args.value);
        if (!(value >= 0 && value <= 1)) throw 'parameter error: parameter.value should be between 0 and 1';
        this.brightness = value;
        return {};
      }),
      getBatteryInfo: async('getBatteryInfo', () => ({ level: 80, isCharging: false })),
      getBatteryInfoSync: sync('getBatteryInfoSync', () => ({ level: 80, isCharging: false })),
      hideKeyboard: async('hideKeyboard', () => {
        globalThis.document?.activeElement?.blur?.();
        return {};
      }),
      onKeyboardHeightChange: () => {},
      offKeyboardHeightChange: () => {},
      onMemoryWarning: () => {},
      offMemoryWarning: () => {},
      // Sound is not played (its source may be an outside host); the context keeps its state
      // and calls its listeners as a player would.
      createInnerAudioContext: sync('createInnerAudioContext', () => innerAudio()),
    };
  }
}

/** An InnerAudioContext that plays nothing but answers like one that plays. */
export function innerAudio() {
  const listeners = {};
  const on = (kind) => (fn) => (listeners[kind] ??= []).push(fn);
  const off = (kind) => (fn) => {
    listeners[kind] = fn ? (listeners[kind] ?? []).filter((f) => f !== fn) : [];
  };
  const fire = (kind, value = {}) => setTimeout(() => (listeners[kind] ?? []).forEach((fn) => fn(value)), 0);
  const audio = { src: '', startTime: 0, autoplay: false, loop: false, volume: 1, playbackRate: 1, duration: 0, currentTime: 0, paused: true, buffered: 0 };
  audio.play = () => {
    audio.paused = false;
    fire('Play');
  };
  audio.pause = () => {
    audio.paused = true;
    fire('Pause');
  };
  audio.stop = () => {
    audio.paused = true;
    audio.currentTime = 0;
    fire('Stop');
  };
  audio.seek = (position) => {
    audio.currentTime = Number(position) || 0;
    fire('Seeked');
  };
  audio.destroy = () => {
    for (const kind of Object.keys(listeners)) listeners[kind] = [];
  };
  for (const kind of ['Canplay', 'Play', 'Pause', 'Stop', 'Ended', 'TimeUpdate', 'Error', 'Waiting', 'Seeking', 'Seeked']) {
    audio[`on${kind}`] = on(kind);
    audio[`off${kind}`] = off(kind);
  }
  return audio;
}
