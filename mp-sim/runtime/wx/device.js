// What the phone itself does for a Mini Program: the clipboard (WeChat shows "内容已复制"),
// phone calls and vibration (recorded), the network type, and the user's permissions —
// `getSetting`, `authorize`, `openSetting` — which a scenario decides (`deny(scope)`); the
// user grants anything else when asked, as a tester taps "允许".

export class Device {
  /** @param {import('./interaction.js').Interaction} [interaction] where the copy toast shows */
  constructor(interaction) {
    this.interaction = interaction;
    this.clipboard = '';
    this.granted = new Map(); // scope → true (granted) | false (denied), once asked
    this.denied = new Set(); // scopes the scenario makes the user refuse
  }

  /** The user will refuse `scope` (`scope.userLocation`, …) when asked. */
  deny(scope) {
    this.denied.add(scope);
  }

  authSetting() {
    return Object.fromEntries(this.granted);
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
      getSetting: async('getSetting', () => ({ authSetting: this.authSetting() })),
      authorize: async('authorize', (args) => {
        const scope = String(args.scope ?? '');
        if (!scope.startsWith('scope.')) throw 'parameter error: parameter.scope should be a scope.* name';
        if (this.granted.get(scope) === false) throw 'auth deny';
        const allow = !this.denied.has(scope);
        this.granted.set(scope, allow);
        if (!allow) throw 'auth deny';
        return {};
      }),
      // The settings page: the user turns on what the app asks for, unless the scenario
      // keeps it denied.
      openSetting: async('openSetting', () => {
        for (const scope of this.granted.keys()) if (!this.denied.has(scope)) this.granted.set(scope, true);
        return { authSetting: this.authSetting() };
      }),
    };
  }
}
