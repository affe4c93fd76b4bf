// Toasts, loading and modals (PROTOCOLS.md, "wx APIs a payment page uses"): one toast or
// loading at a time, a toast hides itself after `duration` (1500 ms), a modal waits for the
// shopper's tap. What is on screen is state here; the page's DOM shows it (boot.js), so
// WebDriver sees the same text a user would, and every call is recorded.

export class Interaction {
  constructor(onChange = () => {}) {
    this.onChange = onChange;
    this.toast = null; // {kind: 'toast'|'loading', title, icon}
    this.modal = null; // {title, content, showCancel, cancelText, confirmText, answer(confirm)}
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
    };
  }
}
