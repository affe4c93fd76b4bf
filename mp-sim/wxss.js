// WXSS → CSS: `rpx` (1/750 of the screen width) becomes px for the simulated 375 px wide
// phone, and WXML tag selectors (`view`, `button`) target the `wx-` elements mp-sim renders.

/** The simulated screen width in px; 750 rpx span it. */
export const SCREEN_WIDTH = 375;

/** Converts every `Nrpx` in a declaration list or stylesheet to px. */
export function rpxToPx(css) {
  return css.replace(/(-?\d*\.?\d+)rpx\b/g, (_, n) => `${+((parseFloat(n) * SCREEN_WIDTH) / 750).toFixed(3)}px`);
}

const TAGS = ['view', 'text', 'button', 'navigator', 'scroll-view', 'label', 'icon', 'page'];
const TAG_SELECTOR = new RegExp(`(^|[\\s,>+~(}])(${TAGS.join('|')})(?![\\w-])(?=[^{}]*\\{)`, 'g');

/** Converts a WXSS stylesheet to CSS for mp-sim's elements. */
export function toCss(wxss) {
  return rpxToPx(wxss)
    .replace(TAG_SELECTOR, (_, before, tag) => `${before}wx-${tag}`)
    .replace(/(^|[\s,>+~(}])image(?![\w-])(?=[^{}]*\{)/g, '$1img');
}
