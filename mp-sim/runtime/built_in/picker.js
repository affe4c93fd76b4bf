// <picker>: a tap opens WeChat's bottom sheet — 取消, 确定 and one column of options per part
// of the value — drawn in the page, so WebDriver taps an option and 确定 as a shopper does.
// Modes as WeChat has them: selector (`change` detail.value is the index, a string as WeChat
// sends it), multiSelector (an array of indexes; `columnchange` as each column moves, and the
// app may change `range` while the sheet is open), time ("HH:mm"), date ("YYYY-MM-DD", or
// "YYYY-MM" / "YYYY" by `fields`), region (names, with `code` and `postcode`, from the
// administrative divisions Vant's area data lists). 取消 or the mask fires `cancel`.
//
// <picker-view>: columns drawn in the page; tapping an item of a column selects it and fires
// `pickstart`, `change` (`{value: [index per column]}`), `pickend`.

import { emit } from '../events.js';

const pad = (n) => String(n).padStart(2, '0');

function label(item, key) {
  if (item !== null && typeof item === 'object') return String(key ? item[key] ?? '' : JSON.stringify(item));
  return String(item ?? '');
}

/** `[{text, value}]` per column, and the selected index per column, for a picker's mode. */
async function columnsOf(element, selected, services) {
  const attrs = element.__vnode?.attrs ?? {};
  const mode = attrs.mode ?? 'selector';
  const key = attrs['range-key'];
  if (mode === 'selector') {
    return [(Array.isArray(attrs.range) ? attrs.range : []).map((item) => ({ text: label(item, key), value: label(item, key) }))];
  }
  if (mode === 'multiSelector') {
    return (Array.isArray(attrs.range) ? attrs.range : []).map((column) => (Array.isArray(column) ? column : []).map((item) => ({ text: label(item, key), value: label(item, key) })));
  }
  if (mode === 'time') {
    const [startH, startM] = String(attrs.start ?? '00:00').split(':').map(Number);
    const [endH, endM] = String(attrs.end ?? '23:59').split(':').map(Number);
    const hours = [];
    for (let h = startH || 0; h <= (Number.isNaN(endH) ? 23 : endH); h += 1) hours.push({ text: pad(h), value: pad(h) });
    const hour = Number(hours[selected[0] ?? 0]?.value ?? 0);
    const minutes = [];
    const from = hour === startH ? startM || 0 : 0;
    const to = hour === endH ? endM : 59;
    for (let m = from; m <= to; m += 1) minutes.push({ text: pad(m), value: pad(m) });
    return [hours, minutes];
  }
  if (mode === 'date') {
    const start = String(attrs.start ?? '1900-01-01').split('-').map(Number);
    const end = String(attrs.end ?? '2100-12-31').split('-').map(Number);
    const years = [];
    for (let y = start[0]; y <= end[0]; y += 1) years.push({ text: `${y}年`, value: String(y) });
    const fields = attrs.fields ?? 'day';
    if (fields === 'year') return [years];
    const year = Number(years[selected[0] ?? 0]?.value ?? start[0]);
    const months = [];
    for (let m = year === start[0] ? start[1] || 1 : 1; m <= (year === end[0] ? end[1] || 12 : 12); m += 1) months.push({ text: `${m}月`, value: pad(m) });
    if (fields === 'month') return [years, months];
    const month = Number(months[selected[1] ?? 0]?.value ?? 1);
    const last = new Date(year, month, 0).getDate();
    const days = [];
    const firstDay = year === start[0] && month === start[1] ? start[2] || 1 : 1;
    const lastDay = year === end[0] && month === end[1] ? Math.min(last, end[2] || last) : last;
    for (let d = firstDay; d <= lastDay; d += 1) days.push({ text: `${d}日`, value: pad(d) });
    return [years, months, days];
  }
  if (mode === 'region') {
    const areas = await services.regions();
    const custom = attrs['custom-item'];
    const withCustom = (list) => (custom ? [{ text: String(custom), value: '', code: '' }, ...list] : list);
    const entries = (table, prefix) => Object.entries(table).filter(([code]) => code.startsWith(prefix)).map(([code, name]) => ({ text: name, value: name, code }));
    const provinces = withCustom(entries(areas.province_list, ''));
    const province = provinces[selected[0] ?? 0];
    const cities = withCustom(province?.code ? entries(areas.city_list, province.code.slice(0, 2)) : []);
    const city = cities[selected[1] ?? 0];
    const counties = withCustom(city?.code ? entries(areas.county_list, city.code.slice(0, 4)) : []);
    return [provinces, cities, counties];
  }
  throw new Error(`<picker mode="${mode}"> is not a picker mode WeChat has (selector, multiSelector, time, date, region)`);
}

/** The selected index per column for the picker's `value` attribute. */
function selectionFrom(element, columns) {
  const attrs = element.__vnode?.attrs ?? {};
  const mode = attrs.mode ?? 'selector';
  const value = element.__value ?? attrs.value;
  const find = (column, wanted) => Math.max(0, column.findIndex((o) => o.value === String(wanted) || o.text === String(wanted)));
  if (mode === 'selector') return [Math.max(0, Math.min(Number(value) || 0, columns[0].length - 1))];
  if (mode === 'multiSelector') return columns.map((column, i) => Math.max(0, Math.min(Number(Array.isArray(value) ? value[i] : 0) || 0, column.length - 1)));
  if (mode === 'time') {
    const [h, m] = String(value ?? '').split(':');
    return [find(columns[0], pad(Number(h) || 0)), find(columns[1], pad(Number(m) || 0))];
  }
  if (mode === 'date') {
    const today = new Date();
    const parts = value ? String(value).split('-') : [String(today.getFullYear()), pad(today.getMonth() + 1), pad(today.getDate())];
    return columns.map((column, i) => find(column, parts[i] ?? ''));
  }
  if (mode === 'region') return columns.map((column, i) => find(column, Array.isArray(value) ? value[i] ?? '' : ''));
  return columns.map(() => 0);
}

/** What `change` carries for the selection. */
function valueOf(mode, columns, selected) {
  const option = (i) => columns[i]?.[selected[i]];
  if (mode === 'selector') return { value: String(selected[0]) };
  if (mode === 'multiSelector') return { value: [...selected] };
  if (mode === 'time') return { value: `${option(0)?.value ?? '00'}:${option(1)?.value ?? '00'}` };
  if (mode === 'date') return { value: columns.map((_, i) => option(i)?.value).join('-') };
  if (mode === 'region') {
    const picked = columns.map((_, i) => option(i));
    const code = picked.map((o) => o?.code ?? '');
    return { value: picked.map((o) => o?.value ?? ''), code, postcode: code[2] ? `${code[2].slice(0, 4)}00` : '' };
  }
  return { value: selected };
}

export const picker = {
  after(element, vnode, before, fresh) {
    element.setAttribute('role', 'combobox');
    element.setAttribute('aria-haspopup', 'listbox');
    element.setAttribute('aria-expanded', String(Boolean(element.__sheet)));
    if (fresh || before.value !== vnode.attrs.value) element.__value = formValue(vnode.attrs);
    element.__reset = () => {
      element.__value = formValue(element.__vnode.attrs);
    };
    // The app changed a column while the sheet is open (multiSelector's cascade); setData of
    // `range[1]` changes the array in place, so its content is compared.
    const range = JSON.stringify(vnode.attrs.range ?? null);
    if (element.__sheet && element.__range !== range) element.__sheet.refresh();
    element.__range = range;
  },
  tap(element, domEvent, env) {
    if (element.__sheet || element.__vnode?.attrs.disabled) return;
    open(element, env).catch((error) => env.services?.recorder?.error('picker', error));
  },
};

function formValue(attrs) {
  const mode = attrs.mode ?? 'selector';
  if (attrs.value === undefined || attrs.value === null) return mode === 'multiSelector' || mode === 'region' ? [] : mode === 'selector' ? 0 : '';
  return attrs.value;
}

async function open(element, env) {
  const doc = element.ownerDocument;
  const services = env.services ?? {};
  const mode = element.__vnode?.attrs.mode ?? 'selector';
  const mask = doc.createElement('wx-picker-mask');
  const sheet = doc.createElement('wx-picker-sheet');
  sheet.setAttribute('role', 'dialog');
  sheet.setAttribute('aria-modal', 'true');
  const bar = doc.createElement('wx-picker-bar');
  const cancel = doc.createElement('wx-button');
  cancel.setAttribute('role', 'button');
  cancel.textContent = '取消';
  cancel.dataset.action = 'cancel';
  const title = doc.createElement('wx-picker-title');
  title.textContent = element.__vnode?.attrs['header-text'] ?? '';
  const confirm = doc.createElement('wx-button');
  confirm.setAttribute('role', 'button');
  confirm.textContent = '确定';
  confirm.dataset.action = 'confirm';
  bar.append(cancel, title, confirm);
  const body = doc.createElement('wx-picker-columns');
  sheet.append(bar, body);
  let columns = await columnsOf(element, [], services);
  let selected = selectionFrom(element, columns);
  columns = await columnsOf(element, selected, services);
  selected = selectionFrom(element, columns);

  const draw = () => {
    body.textContent = '';
    columns.forEach((column, c) => {
      const list = doc.createElement('wx-picker-column');
      list.setAttribute('role', 'listbox');
      list.dataset.column = String(c);
      column.forEach((option, i) => {
        const item = doc.createElement('wx-picker-option');
        item.setAttribute('role', 'option');
        item.setAttribute('aria-selected', String(i === selected[c]));
        item.dataset.value = option.value;
        item.textContent = option.text;
        item.addEventListener('click', () => choose(c, i));
        list.appendChild(item);
      });
      body.appendChild(list);
    });
    sheet.querySelector('[aria-selected="true"]')?.scrollIntoView?.({ block: 'nearest' });
  };
  const choose = async (c, i) => {
    if (selected[c] === i) return;
    selected[c] = i;
    // Columns after a moved one start again at their first option (a date's days, a region's cities).
    if (mode === 'date' || mode === 'region' || mode === 'time') {
      for (let k = c + 1; k < selected.length; k += 1) selected[k] = 0;
      columns = await columnsOf(element, selected, services);
      selected = selected.map((s, k) => Math.min(s, Math.max(0, columns[k].length - 1)));
    }
    draw();
    if (mode === 'multiSelector') emit(element, 'columnchange', { column: c, value: i }, env);
  };
  const close = () => {
    sheet.remove();
    mask.remove();
    element.__sheet = null;
    element.setAttribute('aria-expanded', 'false');
  };
  element.__sheet = {
    async refresh() {
      columns = await columnsOf(element, selected, services);
      selected = columns.map((column, k) => Math.min(selected[k] ?? 0, Math.max(0, column.length - 1)));
      draw();
    },
  };
  cancel.addEventListener('click', () => {
    close();
    emit(element, 'cancel', {}, env);
  });
  mask.addEventListener('click', () => {
    close();
    emit(element, 'cancel', {}, env);
  });
  confirm.addEventListener('click', () => {
    close();
    const detail = valueOf(mode, columns, selected);
    element.__value = detail.value;
    const model = element.__vnode?.model;
    if (model?.path && element.__vnode.owner?.setData) element.__vnode.owner.setData({ [model.path]: detail.value });
    emit(element, 'change', detail, env);
  });
  draw();
  element.setAttribute('aria-expanded', 'true');
  // In the page (hidden with it when another page opens), kept by the page's re-renders.
  mask.__keep = true;
  sheet.__keep = true;
  (element.closest('wx-page') ?? doc.body).append(mask, sheet);
}

// <picker-view>: the value (an index per column) is state; the data sets it when it changes.
export const pickerView = {
  after(element, vnode, before, fresh) {
    const columns = [...element.children].filter((c) => c.localName === 'wx-picker-view-column');
    if (fresh || before.value !== vnode.attrs.value || !Array.isArray(element.__value)) {
      element.__value = columns.map((_, i) => Number(Array.isArray(vnode.attrs.value) ? vnode.attrs.value[i] : 0) || 0);
    }
    element.__value = columns.map((column, i) => Math.min(element.__value[i] ?? 0, Math.max(0, column.children.length - 1)));
    columns.forEach((column, i) => showColumn(column, element.__value[i]));
  },
};

function showColumn(column, index) {
  column.setAttribute('role', 'listbox');
  [...column.children].forEach((item, i) => {
    item.setAttribute('role', 'option');
    item.setAttribute('aria-selected', String(i === index));
  });
}

export const pickerViewColumn = {
  after(element, vnode, before, fresh, env) {
    if (element.__picks) return;
    element.__picks = true;
    element.addEventListener('click', (event) => {
      const view = element.parentElement;
      if (view?.localName !== 'wx-picker-view') return;
      const item = [...element.children].find((child) => child.contains(event.target));
      if (!item) return;
      const c = [...view.children].filter((n) => n.localName === 'wx-picker-view-column').indexOf(element);
      const i = [...element.children].indexOf(item);
      if (view.__value[c] === i) return;
      emit(view, 'pickstart', {}, env);
      view.__value = view.__value.map((v, k) => (k === c ? i : v));
      showColumn(element, i);
      emit(view, 'change', { value: [...view.__value] }, env);
      emit(view, 'pickend', {}, env);
    });
  },
};
