// The wx APIs that answer from the view (the rendered page) rather than from wx's own state:
// selector queries, native components' contexts, the tab bar, nextTick. One list, used by
// boot.js in the browser and by doctor's survey, so what doctor calls supported is what runs.

/**
 * @param {{async: Function, sync: Function}} kinds wx's recording wrappers
 * @param {object} view
 * @param {() => object} view.selectorQuery a new SelectorQuery on the page on top
 * @param {() => ReturnType<import('./built_in/contexts.js').contexts>} view.native the contexts
 * @param {import('./tab_bar.js').TabBar} view.tabBar
 */
export function viewApis({ async, sync }, { selectorQuery, native, tabBar }) {
  return {
    createSelectorQuery: () => selectorQuery(),
    createVideoContext: sync('createVideoContext', (id, component) => native().video(id, component)),
    createCanvasContext: sync('createCanvasContext', (id, component) => native().canvas(id, component)),
    canvasToTempFilePath: async('canvasToTempFilePath', (args) => native().canvasToTempFilePath(args)),
    createLivePlayerContext: sync('createLivePlayerContext', (id, component) => native().livePlayer(id, component)),
    createLivePusherContext: sync('createLivePusherContext', (component) => native().livePusher(component)),
    createAudioContext: sync('createAudioContext', (id, component) => native().audio(id, component)),
    createMapContext: sync('createMapContext', (id, component) => native().map(id, component)),
    createIntersectionObserver: sync('createIntersectionObserver', (component, options) => native().intersectionObserver(component, options)),
    nextTick: (callback) => Promise.resolve().then(callback),
    ...tabBar.apis(async),
  };
}
