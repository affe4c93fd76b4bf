// What a page's chrome does around its WXML: pull-down refresh (started and stopped by the
// app; `onPullDownRefresh` runs when the runtime pulls), the navigation bar's loading
// indicator and colours, scrolling the page, previewing images (recorded).

export class PageUi {
  /**
   * @param {object} [view] `{navigationLoading(on), navigationColor({frontColor, backgroundColor}),
   *   scrollTo(top), pullDown()}`; each optional
   */
  constructor(view = {}) {
    this.view = view;
    this.refreshing = false;
  }

  apis(async) {
    return {
      startPullDownRefresh: async('startPullDownRefresh', () => {
        this.refreshing = true;
        this.view.pullDown?.();
        return {};
      }),
      stopPullDownRefresh: async('stopPullDownRefresh', () => {
        this.refreshing = false;
        return {};
      }),
      showNavigationBarLoading: async('showNavigationBarLoading', () => {
        this.view.navigationLoading?.(true);
        return {};
      }),
      hideNavigationBarLoading: async('hideNavigationBarLoading', () => {
        this.view.navigationLoading?.(false);
        return {};
      }),
      setNavigationBarColor: async('setNavigationBarColor', (args) => {
        const colour = /^#[0-9a-fA-F]{6}$/;
        if (args.frontColor !== '#ffffff' && args.frontColor !== '#000000') throw 'invalid frontColor';
        if (!colour.test(String(args.backgroundColor ?? ''))) throw 'invalid backgroundColor';
        this.view.navigationColor?.({ frontColor: args.frontColor, backgroundColor: args.backgroundColor });
        return {};
      }),
      pageScrollTo: async('pageScrollTo', (args) => {
        if (args.scrollTop === undefined && args.selector === undefined) throw 'parameter error: scrollTop or selector is required';
        this.view.scrollTo?.(args);
        return {};
      }),
      previewImage: async('previewImage', (args) => {
        if (!Array.isArray(args.urls) || args.urls.length === 0) throw 'parameter error: parameter.urls should be a non-empty Array';
        return {};
      }),
      // Sharing and leaving for other apps: recorded (a check can read them); nothing opens.
      showShareMenu: async('showShareMenu', () => ({})),
      hideShareMenu: async('hideShareMenu', () => ({})),
      updateShareMenu: async('updateShareMenu', () => ({})),
      getShareInfo: async('getShareInfo', (args) => {
        if (typeof args.shareTicket !== 'string' || !args.shareTicket) throw 'invalid shareTicket';
        return { encryptedData: '', iv: '', cloudID: '' };
      }),
      showShareImageMenu: async('showShareImageMenu', () => ({})),
      hideHomeButton: async('hideHomeButton', () => ({})),
      setBackgroundColor: async('setBackgroundColor', () => ({})),
      setBackgroundTextStyle: async('setBackgroundTextStyle', () => ({})),
      setEnableDebug: async('setEnableDebug', () => ({})),
      loadFontFace: async('loadFontFace', () => ({ status: 'loaded' })),
      openCustomerServiceChat: async('openCustomerServiceChat', () => ({})),
      navigateToMiniProgram: async('navigateToMiniProgram', (args) => {
        if (!args.appId && !args.shortLink) throw 'parameter error: parameter.appId should be String';
        return {};
      }),
      navigateBackMiniProgram: async('navigateBackMiniProgram', () => ({})),
      exitMiniProgram: async('exitMiniProgram', () => ({})),
    };
  }
}
