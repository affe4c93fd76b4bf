// WeChat's built-in components that do more than hold their children, by WXML tag. Each may
// draw itself after its children are in place (`after`), draw instead of them (`own`: a
// rich-text draws its nodes, a canvas its context), and act when tapped (`tap`: a switch
// flips, a form button submits, a picker opens its sheet). Plain containers (`view`, `text`,
// `cover-view`, …) need nothing here.

import { swiper } from './swiper.js';
import { richText } from './rich_text.js';
import { checkbox, radio, switchControl, slider, progress, label, button, form, contactButton } from './controls.js';
import { picker, pickerView, pickerViewColumn } from './picker.js';
import { video, canvas, map, webView, openData, movableView, image } from './media.js';

/** `{after?, own?, tap?}` per WXML tag. */
export const BUILT_IN_VIEWS = {
  swiper: { after: swiper },
  'rich-text': { own: (element, vnode, before, fresh) => richText(element, vnode.attrs.nodes, before.nodes, fresh) },
  checkbox,
  radio,
  switch: switchControl,
  slider,
  progress,
  label,
  button,
  form,
  picker,
  'picker-view': pickerView,
  'picker-view-column': pickerViewColumn,
  video,
  audio: video,
  'live-player': video,
  'live-pusher': video,
  'contact-button': contactButton,
  canvas,
  map,
  'web-view': webView,
  'open-data': openData,
  'movable-view': movableView,
  image,
  'cover-image': image,
};
