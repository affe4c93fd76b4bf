// Form controls as WeChat's view layer draws them, with their own state and events:
// checkbox (in a checkbox-group), radio (in a radio-group), switch, slider, progress, label,
// form, and button's `form-type` / `open-type`. Each carries ARIA roles and states
// (`role="switch" aria-checked="true"`), so WebDriver and the generic steps find and read
// them as a screen reader would. State set by the data (`checked`, `value`) applies when the
// data changes; a shopper's tap changes it in between, as in WeChat.

import { emit, targetOf } from '../events.js';
import { anonymousUser } from '../wx/choose.js';

/** The state a checkable control shows. */
function showChecked(element) {
  element.setAttribute('aria-checked', String(Boolean(element.__checked)));
}

/** A checkable control's state from the data, when the data's `checked` changed. */
function checkable(role) {
  return (element, vnode, before, fresh) => {
    element.setAttribute('role', role);
    element.tabIndex = vnode.attrs.disabled ? -1 : 0;
    if (fresh || before.checked !== vnode.attrs.checked) element.__checked = Boolean(vnode.attrs.checked);
    element.__reset = () => {
      element.__checked = Boolean(element.__vnode.attrs.checked);
      showChecked(element);
    };
    showChecked(element);
  };
}

/** The `value`s of the checked controls `tag` in `group` (not in a nested group). */
function checkedValues(group, tag) {
  return [...group.querySelectorAll(tag)]
    .filter((c) => c.closest(`wx-${tag.slice(3)}-group`) === group && c.__checked)
    .map((c) => String(c.__vnode?.attrs.value ?? ''));
}

export const checkbox = {
  after: checkable('checkbox'),
  tap(element, domEvent, env) {
    element.__checked = !element.__checked;
    showChecked(element);
    const group = element.closest('wx-checkbox-group');
    if (group) emit(group, 'change', { value: checkedValues(group, 'wx-checkbox') }, env);
  },
};

export const radio = {
  after: checkable('radio'),
  tap(element, domEvent, env) {
    if (element.__checked) return; // a radio is unchecked only by another one
    const group = element.closest('wx-radio-group');
    for (const other of group?.querySelectorAll('wx-radio') ?? []) {
      if (other !== element && other.closest('wx-radio-group') === group && other.__checked) {
        other.__checked = false;
        showChecked(other);
      }
    }
    element.__checked = true;
    showChecked(element);
    if (group) emit(group, 'change', { value: String(element.__vnode?.attrs.value ?? '') }, env);
  },
};

export const switchControl = {
  after: checkable('switch'),
  tap(element, domEvent, env) {
    element.__checked = !element.__checked;
    showChecked(element);
    emit(element, 'change', { value: element.__checked }, env);
  },
};

// <slider>: a real range input inside (arrow keys and drags move it); `changing` while it
// moves, `change` when let go, both `{value}` as a number.
export const slider = {
  after(element, vnode, before, fresh, env) {
    const doc = element.ownerDocument;
    let input = element.__input;
    if (!input) {
      input = doc.createElement('input');
      input.type = 'range';
      input.__keep = true;
      element.__input = input;
      element.appendChild(input);
      input.addEventListener('input', () => {
        showValue(element);
        emit(element, 'changing', { value: Number(input.value) }, env);
      });
      input.addEventListener('change', () => {
        showValue(element);
        emit(element, 'change', { value: Number(input.value) }, env);
      });
    }
    const { min = 0, max = 100, step = 1 } = vnode.attrs;
    input.min = String(min);
    input.max = String(max);
    input.step = String(step);
    input.disabled = Boolean(vnode.attrs.disabled);
    if (vnode.attrs['aria-label']) input.setAttribute('aria-label', vnode.attrs['aria-label']);
    if (fresh || before.value !== vnode.attrs.value) input.value = String(vnode.attrs.value ?? min);
    element.__reset = () => {
      input.value = String(element.__vnode.attrs.value ?? element.__vnode.attrs.min ?? 0);
      showValue(element);
    };
    showValue(element);
  },
};

function showValue(element) {
  let shown = element.querySelector(':scope > wx-slider-value');
  if (!element.__vnode?.attrs['show-value']) {
    shown?.remove();
    return;
  }
  if (!shown) {
    shown = element.ownerDocument.createElement('wx-slider-value');
    shown.__keep = true;
    element.appendChild(shown);
  }
  shown.textContent = element.__input.value;
}

// <progress>: a bar with `role="progressbar"`; `show-info` writes the percentage; with
// `active`, `activeend` fires once the bar has moved to a new percentage.
export const progress = {
  after(element, vnode, before, fresh, env) {
    const percent = Math.min(100, Math.max(0, Number(vnode.attrs.percent) || 0));
    element.setAttribute('role', 'progressbar');
    element.setAttribute('aria-valuemin', '0');
    element.setAttribute('aria-valuemax', '100');
    element.setAttribute('aria-valuenow', String(percent));
    let bar = element.querySelector(':scope > wx-progress-bar');
    if (!bar) {
      bar = element.ownerDocument.createElement('wx-progress-bar');
      bar.__keep = true;
      bar.appendChild(element.ownerDocument.createElement('wx-progress-inner'));
      element.appendChild(bar);
    }
    bar.firstChild.style.width = `${percent}%`;
    if (vnode.attrs.color || vnode.attrs.activeColor || vnode.attrs['active-color']) bar.firstChild.style.background = vnode.attrs['active-color'] ?? vnode.attrs.activeColor ?? vnode.attrs.color;
    let info = element.querySelector(':scope > wx-progress-info');
    if (vnode.attrs['show-info']) {
      if (!info) {
        info = element.ownerDocument.createElement('wx-progress-info');
        info.__keep = true;
        element.appendChild(info);
      }
      info.textContent = `${percent}%`;
    } else {
      info?.remove();
    }
    if (vnode.attrs.active && (fresh || before.percent !== vnode.attrs.percent)) {
      setTimeout(() => element.isConnected && emit(element, 'activeend', { curPercent: percent }, env), 0);
    }
  },
};

const CONTROLS = 'wx-checkbox, wx-radio, wx-switch, wx-button, input, textarea';

// <label>: a tap on it is a tap on its control — the one named by `for`, else the first
// inside it — unless the tap was on a control already.
export const label = {
  tap(element, domEvent) {
    const hit = domEvent.target?.closest?.(CONTROLS);
    if (hit && element.contains(hit)) return;
    const id = element.__vnode?.attrs.for;
    const scope = element.closest('wx-page') ?? element.ownerDocument;
    const control = id ? scope.querySelector(`[id="${String(id).replace(/"/g, '\\"')}"]`) : element.querySelector(CONTROLS);
    if (!control) return;
    if (control.localName === 'input' || control.localName === 'textarea') control.focus();
    else control.click();
  },
};

// <button form-type="submit|reset">, <button open-type="…">.
export const button = {
  tap(element, domEvent, env) {
    const attrs = element.__vnode?.attrs ?? {};
    const formType = attrs['form-type'];
    if (formType === 'submit' || formType === 'reset') {
      const owner = element.closest('wx-form');
      if (owner) (formType === 'submit' ? submit : reset)(owner, env);
    }
    if (attrs['open-type']) openType(element, String(attrs['open-type']), env);
  },
};

export const form = {};

// <contact-button>: the old customer-service button, a button with open-type="contact".
export const contactButton = {
  after(element) {
    element.setAttribute('role', 'button');
    element.setAttribute('aria-label', '客服');
  },
  tap: (element, domEvent, env) => openType(element, 'contact', env),
};

const NONE = Symbol('no value');

/** What a named control contributes to its form's `submit`. */
function fieldValue(element) {
  switch (element.localName) {
    case 'input':
    case 'textarea':
      return element.value;
    case 'wx-switch':
      return Boolean(element.__checked);
    case 'wx-checkbox-group':
      return checkedValues(element, 'wx-checkbox');
    case 'wx-radio-group':
      return checkedValues(element, 'wx-radio')[0] ?? '';
    case 'wx-slider':
      return Number(element.__input?.value ?? 0);
    case 'wx-picker':
    case 'wx-picker-view':
      return element.__value ?? NONE;
    default:
      // A custom component with the `wx://form-field` behaviour (Vant's, TDesign's fields).
      if (element.__instance && element.__instance.data && 'value' in element.__instance.data) return element.__instance.data.value;
      return NONE;
  }
}

/** Every named control in `formElement` (not in a nested form), outermost first. */
function fields(formElement) {
  const out = [];
  const walk = (node) => {
    for (const child of node.children) {
      if (child.localName === 'wx-form') continue;
      const name = child.getAttribute('name');
      if (name) {
        const value = fieldValue(child);
        if (value !== NONE) {
          out.push({ element: child, name, value });
          continue;
        }
      }
      walk(child);
    }
  };
  walk(formElement);
  return out;
}

/** Submits a `<form>`: `submit` with every named field's value. */
export function submit(formElement, env) {
  const value = {};
  for (const field of fields(formElement)) value[field.name] = field.value;
  const detail = { value, target: targetOf(formElement) };
  if (formElement.__vnode?.attrs['report-submit']) detail.formId = `mp-sim-form-${Date.now()}`;
  env.services?.forms?.push({ at: Date.now(), value });
  emit(formElement, 'submit', detail, env);
}

/** Resets a `<form>`: each control back to what the data says, then `reset`. */
export function reset(formElement, env) {
  for (const { element } of fields(formElement)) {
    if (element.localName === 'input' || element.localName === 'textarea') element.value = String(element.__vnode?.attrs.value ?? '');
    element.__reset?.();
    for (const inner of element.querySelectorAll('wx-checkbox, wx-radio')) inner.__reset?.();
  }
  emit(formElement, 'reset', {}, env);
}

// What a button's open-type asks WeChat for, answered as the scenario's shopper answers
// (`services.user`): allowed unless refused.
export function openType(element, kind, env) {
  const services = env.services ?? {};
  const user = services.user;
  const record = (api, result) => services.record?.(api, { openType: kind }, result);
  const refuses = (scope) => Boolean(user?.refuses(scope));
  switch (kind) {
    case 'getPhoneNumber':
    case 'getRealtimePhoneNumber': {
      const api = kind;
      const detail = refuses('phoneNumber') ? { errMsg: `${api}:fail user deny` } : { errMsg: `${api}:ok`, code: `mp-sim-phone-${Date.now().toString(36)}` };
      record(api, detail);
      emit(element, kind.toLowerCase(), detail, env);
      return;
    }
    case 'getUserInfo': {
      const userInfo = anonymousUser(user?.nickName);
      const detail = refuses('scope.userInfo')
        ? { errMsg: 'getUserInfo:fail auth deny' }
        : { errMsg: 'getUserInfo:ok', userInfo, rawData: JSON.stringify(userInfo), signature: 'mp-sim', encryptedData: '', iv: '' };
      record('getUserInfo', detail);
      emit(element, 'getuserinfo', detail, env);
      return;
    }
    case 'chooseAvatar': {
      const detail = { avatarUrl: services.avatar?.() ?? anonymousUser().avatarUrl };
      record('chooseAvatar', detail);
      emit(element, 'chooseavatar', detail, env);
      return;
    }
    case 'contact': {
      const detail = { errMsg: 'enterContact:ok', path: '', query: {} };
      record('contact', detail);
      emit(element, 'contact', detail, env);
      return;
    }
    case 'share': {
      // The page's onShareAppMessage says what is shared; the record keeps it.
      const page = element.__vnode?.owner?.__page ?? element.__vnode?.owner;
      let content = {};
      if (page && typeof page.onShareAppMessage === 'function') {
        content = env.dispatch(page, 'onShareAppMessage', { type: 'share', from: 'button', target: targetOf(element), webViewUrl: '' }, element) ?? {};
      }
      record('share', { errMsg: 'share:ok', title: content.title, path: content.path ?? page?.route, imageUrl: content.imageUrl });
      return;
    }
    case 'openSetting': {
      const detail = { errMsg: 'openSetting:ok', authSetting: user?.openSettings() ?? {} };
      record('openSetting', detail);
      emit(element, 'opensetting', detail, env);
      return;
    }
    case 'agreePrivacyAuthorization': {
      record('agreePrivacyAuthorization', { errMsg: 'agreePrivacyAuthorization:ok' });
      emit(element, 'agreeprivacyauthorization', {}, env);
      return;
    }
    case 'feedback':
      record('feedback', { errMsg: 'feedback:ok' });
      return;
    case 'launchApp': {
      const detail = { errMsg: 'launchApp:fail mp-sim opens no other app' };
      record('launchApp', detail);
      emit(element, 'error', detail, env);
      return;
    }
    default:
      services.recorder?.error('button', new Error(`open-type="${kind}" is not supported by mp-sim`));
  }
}
