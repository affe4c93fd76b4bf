// app.json's `tabBar`, drawn at the bottom of the phone on tab pages and tapped like
// WeChat's: each item with its text and icon (the selected icon and colour on the current
// tab), badges and red dots set through the wx APIs, hidden and shown by them, and items or
// colours changed by them. A `custom: true` tab bar is the app's own `custom-tab-bar`
// component, which the runtime renders instead.

export class TabBar {
  /**
   * @param {Element} element where the bar is drawn
   * @param {(url: string) => void} switchTo what a tap on an item does
   */
  constructor(element, switchTo) {
    this.element = element;
    this.switchTo = switchTo;
    this.config = null;
    this.items = [];
    this.hidden = false;
    this.style = {};
    this.route = null;
    this.visible = false;
  }

  /** Takes app.json's tabBar (null: the app has none). */
  configure(tabBar) {
    this.config = tabBar;
    this.items = (tabBar?.list ?? []).map((item) => ({ ...item, pagePath: String(item.pagePath).replace(/^\//, ''), badge: null, redDot: false }));
    this.style = { color: tabBar?.color, selectedColor: tabBar?.selectedColor, backgroundColor: tabBar?.backgroundColor, borderStyle: tabBar?.borderStyle };
  }

  /** Redraws for the page on top: `{route, isTab}`. */
  draw(state = {}) {
    if (state.route !== undefined) {
      this.route = state.route;
      this.visible = Boolean(state.isTab);
    }
    const element = this.element;
    if (!element) return;
    const show = Boolean(this.config) && !this.config.custom && this.visible && !this.hidden;
    element.hidden = !show;
    if (!show) return;
    element.textContent = '';
    element.style.background = this.style.backgroundColor ?? '#fff';
    element.dataset.position = this.config.position ?? 'bottom';
    this.items.forEach((item, index) => {
      const selected = item.pagePath === this.route;
      const tab = element.ownerDocument.createElement('wx-tab-bar-item');
      tab.setAttribute('role', 'tab');
      tab.setAttribute('aria-selected', String(selected));
      tab.dataset.index = String(index);
      tab.dataset.path = item.pagePath;
      const icon = selected ? item.selectedIconPath ?? item.iconPath : item.iconPath;
      if (icon) {
        const img = element.ownerDocument.createElement('img');
        img.src = `/${String(icon).replace(/^\//, '')}`;
        img.alt = '';
        tab.appendChild(img);
      }
      const text = element.ownerDocument.createElement('span');
      text.className = 'mp-tab-text';
      text.textContent = item.text ?? '';
      text.style.color = (selected ? this.style.selectedColor : this.style.color) ?? '';
      tab.appendChild(text);
      if (item.badge !== null) {
        const badge = element.ownerDocument.createElement('span');
        badge.className = 'mp-tab-badge';
        badge.textContent = item.badge;
        tab.appendChild(badge);
      } else if (item.redDot) {
        const dot = element.ownerDocument.createElement('span');
        dot.className = 'mp-tab-dot';
        tab.appendChild(dot);
      }
      tab.addEventListener('click', () => {
        if (!selected) this.switchTo(`/${item.pagePath}`);
      });
      element.appendChild(tab);
    });
  }

  item(index, api) {
    if (!this.config) throw new Error('the Mini Program has no tabBar in app.json');
    const item = this.items[Number(index)];
    if (!item) throw new Error(`tabbar item not found (index ${index}; the tab bar has ${this.items.length})`);
    return item;
  }

  change(fn) {
    return (args) => {
      fn(args);
      this.draw();
      return {};
    };
  }

  /** The wx APIs of the tab bar, built with `async` (recorded, mockable). */
  apis(async) {
    const tabBarRoute = () => {
      if (!this.config || !this.visible) throw new Error('not TabBar page');
    };
    return {
      setTabBarBadge: async('setTabBarBadge', this.change((a) => { tabBarRoute(); const item = this.item(a.index); item.badge = String(a.text ?? ''); item.redDot = false; })),
      removeTabBarBadge: async('removeTabBarBadge', this.change((a) => { tabBarRoute(); this.item(a.index).badge = null; })),
      showTabBarRedDot: async('showTabBarRedDot', this.change((a) => { tabBarRoute(); const item = this.item(a.index); item.redDot = true; item.badge = null; })),
      hideTabBarRedDot: async('hideTabBarRedDot', this.change((a) => { tabBarRoute(); this.item(a.index).redDot = false; })),
      showTabBar: async('showTabBar', this.change(() => { tabBarRoute(); this.hidden = false; })),
      hideTabBar: async('hideTabBar', this.change(() => { tabBarRoute(); this.hidden = true; })),
      setTabBarItem: async('setTabBarItem', this.change((a) => {
        const item = this.item(a.index);
        for (const key of ['text', 'iconPath', 'selectedIconPath', 'pagePath']) if (a[key] !== undefined) item[key] = a[key];
      })),
      setTabBarStyle: async('setTabBarStyle', this.change((a) => {
        for (const key of ['color', 'selectedColor', 'backgroundColor', 'borderStyle']) if (a[key] !== undefined) this.style[key] = a[key];
      })),
    };
  }
}
