// Toasts, loading, modals and action sheets (PROTOCOLS.md, "wx APIs a payment page uses"):
// one toast or loading at a time, a toast hides itself after `duration` (1500 ms), a modal or
// an action sheet waits for the shopper's tap. What is on screen is state here; the page's DOM
// shows it (boot.js), so WebDriver sees the same text a user would, and every call is recorded.

export class Interaction {
  constructor(onChange = () => {}) {
    this.onChange = onChange;
    this.toast = null; // {kind: 'toast'|'loading', title, icon}
    this.modal = null; // {title, content, showCancel, cancelText, confirmText, answer(confirm)}
    this.actionSheet = null; // {alertText, itemList, itemColor, answer(index | null)}
    this.timer = null;
  }

  show(toast, duration) {
    clearTimeout(this.timer);
    this.toast = toast;
    this.onChange(this);
    if (duration !== undefined) {
      this.timer = setTimeout(() => this.hide(toast.kind), duration);
    }
  }

  hide(kind) {
    if (this.toast && (!kind || this.toast.kind === kind)) {
      clearTimeout(this.timer);
      this.toast = null;
      this.onChange(this);
    }
  }

  /** Answers the open modal as if the shopper tapped confirm (`true`) or cancel. */
  answerModal(confirm) {
    const modal = this.modal;
    if (!modal) return false;
    this.modal = null;
    this.onChange(this);
    modal.answer(confirm);
    return true;
  }

  /** Answers the open action sheet as if the shopper tapped item `index` (`null`: 取消). */
  answerActionSheet(index) {
    const sheet = this.actionSheet;
    if (!sheet) return false;
    this.actionSheet = null;
    this.onChange(this);
    sheet.answer(index);
    return true;
  }

  apis(async) {
    return {
      showToast: async('showToast', (args) => {
        if (typeof args.title !== 'string') throw 'parameter error: parameter.title should be String';
        const icon = args.icon ?? 'success';
        this.show({ kind: 'toast', title: args.title, icon }, Number(args.duration ?? 1500));
      }),
      hideToast: async('hideToast', () => this.hide('toast')),
      showLoading: async('showLoading', (args) => {
        if (typeof args.title !== 'string') throw 'parameter error: parameter.title should be String';
        this.show({ kind: 'loading', title: args.title, icon: 'loading' });
      }),
      hideLoading: async('hideLoading', () => this.hide('loading')),
      showModal: async('showModal', (args) =>
        new Promise((resolve) => {
          this.modal = {
            title: String(args.title ?? ''),
            content: String(args.content ?? ''),
            showCancel: args.showCancel !== false,
            cancelText: String(args.cancelText ?? '取消'),
            confirmText: String(args.confirmText ?? '确定'),
            answer: (confirm) => resolve({ confirm, cancel: !confirm }),
          };
          this.onChange(this);
        })),
      // A sheet of up to six choices and 取消; cancelling fails with `cancel`, as in WeChat.
      showActionSheet: async('showActionSheet', (args) => {
        if (!Array.isArray(args.itemList) || !args.itemList.length) throw 'parameter error: parameter.itemList should be Array';
        if (args.itemList.length > 6) throw 'parameter error: itemList should not be large than 6';
        return new Promise((resolve, reject) => {
          this.actionSheet = {
            alertText: String(args.alertText ?? ''),
            itemList: args.itemList.map(String),
            itemColor: String(args.itemColor ?? '#000000'),
            answer: (index) => (index === null ? reject('cancel') : resolve({ tapIndex: index })),
          };
          this.onChange(this);
        });
      }),
      enableAlertBeforeUnload: async('enableAlertBeforeUnload', () => ({})),
      disableAlertBeforeUnload: async('disableAlertBeforeUnload', () => ({})),
    };
  }
}
