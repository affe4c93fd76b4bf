// The calling convention every wx API shares, and the record of every call.
//
// Asynchronous APIs take `{success, fail, complete}`; the result carries `errMsg`
// ("<api>:ok" or "<api>:fail <reason>") and `complete` runs after the other callback. Called
// without any callback, the APIs the base library promisifies (from 2.10.2) return a Promise
// that resolves with the result or rejects with `{errMsg}` (see PROTOCOLS.md). Callbacks run
// asynchronously, as in WeChat, and an exception in one is recorded instead of lost.

/** The record of wx calls, readable by the harness through `window.__mpSim.calls`. */
export class Recorder {
  /**
   * @param {() => number} [now]
   * @param {Record<string, Record<string, number[][]>>} [columns] per compiled module, the
   *   columns compiling moved (see `mapStack`)
   */
  constructor(now = () => Date.now(), columns = {}) {
    this.calls = [];
    this.errors = [];
    this.warnings = [];
    this.shown = [];
    /** The wx APIs the app read that mp-sim lacks. */
    this.unsupported = new Set();
    this.now = now;
    this.started = now();
    this.columns = columns;
  }

  /** Records the start of a call; the returned entry gets its result when it ends. */
  start(api, args) {
    const entry = { seq: this.calls.length + 1, api, args: plain(args), at: this.now() - this.started };
    this.calls.push(entry);
    return entry;
  }

  /**
   * Records what WeChat's base library only warns about in the console (a setData of
   * undefined, on a closed page): worth reading, not a failure of the app.
   */
  warn(where, message) {
    this.warnings.push({ where, message, at: this.now() - this.started });
    if (typeof console !== 'undefined') console.warn(`[mp-sim] ${where}: ${message}`);
  }

  /**
   * Records what a component library's toast, notify or message component showed
   * (TDesign's `<t-toast>`, Vant's `<van-toast>`): the toasts a shopper reads that are no
   * `wx.showToast`.
   */
  show(component, text) {
    this.shown.push({ component, text, at: this.now() - this.started });
  }

  /** Records an error thrown by the Mini Program's own code (a handler, a callback, ...). */
  error(where, error) {
    let message = error instanceof Error ? error.message : String(error?.errMsg ?? JSON.stringify(error));
    const missing = /wx\.(\w+) is not a function/.exec(message)?.[1];
    if (missing && this.unsupported.has(missing)) {
      message += ` (wx.${missing} is not supported by mp-sim, zion-pay-e2e's Mini Program simulator)`;
    }
    this.errors.push({ where, message, stack: mapStack(error?.stack ?? '', this.columns), at: this.now() - this.started });
    if (typeof console !== 'undefined') console.error(`[mp-sim] ${where}:`, error);
  }
}

/**
 * A stack trace with each position in a compiled module (`/__mp/module/pages/a/a.ts:3:20`)
 * moved back to the column the author wrote: `columns[path][line]` lists the
 * `[generated, original]` column pairs (0-based) of a line whose tokens moved.
 */
export function mapStack(stack, columns = {}) {
  return String(stack).replace(/(\/__mp\/module\/([^\s:()]+)):(\d+):(\d+)/g, (whole, prefix, path, line, column) => {
    const pairs = columns[path]?.[line];
    if (!pairs?.length) return whole;
    const at = Number(column) - 1;
    let best = pairs[0];
    for (const pair of pairs) if (pair[0] <= at) best = pair;
    return `${prefix}:${line}:${best[1] + Math.max(0, at - best[0]) + 1}`;
  });
}

/** A JSON copy of `value` without functions, for the record. */
export function plain(value) {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(JSON.stringify(value, (_, v) => (typeof v === 'function' ? undefined : v)));
  } catch {
    return String(value);
  }
}

/** Turns whatever an implementation rejected with into the `{errMsg}` WeChat answers. */
export function failure(api, reason) {
  if (reason && typeof reason === 'object' && typeof reason.errMsg === 'string') return reason;
  const text = reason instanceof Error ? reason.message : String(reason);
  return { errMsg: `${api}:fail ${text}` };
}

/**
 * Wraps `impl(args) → result | Promise<result>` (a rejection is the failure reason) in the
 * wx convention. `options.promise` says whether the base library promisifies it;
 * `options.returns(args, outcome)` gives a synchronous return value (a RequestTask).
 */
export function asyncApi(name, impl, { recorder, mocks, promise = true, returns } = {}) {
  return function wxApi(args = {}) {
    if (args === null || typeof args !== 'object') args = {};
    const entry = recorder.start(name, args);
    const { success, fail, complete } = args;
    const hasCallback = [success, fail, complete].some((f) => typeof f === 'function');
    const mock = mocks.get(name);
    let handle = {};
    let outcome;
    try {
      outcome = Promise.resolve(mock ? mock.call(args) : impl(args, handle));
    } catch (error) {
      outcome = Promise.reject(error);
    }
    const settled = outcome.then(
      (res) => ({ ok: true, res: { errMsg: `${name}:ok`, ...(res ?? {}) } }),
      (reason) => ({ ok: false, res: failure(name, reason) }),
    );
    settled.then(({ ok, res }) => {
      entry.ok = ok;
      entry.result = plain(res);
      const callback = (fn, which) => {
        if (typeof fn !== 'function') return;
        try {
          const ret = fn(res);
          if (ret && typeof ret.catch === 'function') ret.catch((e) => recorder.error(`${name} ${which} callback`, e));
        } catch (error) {
          recorder.error(`${name} ${which} callback`, error);
        }
      };
      callback(ok ? success : fail, ok ? 'success' : 'fail');
      callback(complete, 'complete');
    });
    if (returns) return returns(args, handle);
    if (!hasCallback && promise) return settled.then(({ ok, res }) => (ok ? res : Promise.reject(res)));
    return undefined;
  };
}

/** Wraps a synchronous API: records it, returns its value, throws its failure. */
export function syncApi(name, impl, { recorder, mocks }) {
  return function wxSyncApi(...args) {
    const entry = recorder.start(name, args.length === 1 ? args[0] : args);
    const mock = mocks.get(name);
    try {
      const value = mock ? mock.call(args[0]) : impl(...args);
      entry.ok = true;
      entry.result = plain(value);
      return value;
    } catch (error) {
      entry.ok = false;
      entry.result = failure(name, error);
      throw new Error(entry.result.errMsg);
    }
  };
}

/**
 * What a scenario made a wx method answer instead of its own behaviour, like
 * miniprogram-automator's `mockWxMethod`: `{result}` succeeds with it, `{fail: reason}` fails,
 * `{never: true}` never answers.
 */
export class Mocks {
  constructor() {
    this.map = new Map();
  }

  set(name, spec) {
    this.map.set(name, spec);
  }

  delete(name) {
    this.map.delete(name);
  }

  get(name) {
    const spec = this.map.get(name);
    if (!spec) return null;
    const sync = name.endsWith('Sync');
    return {
      call() {
        if (spec.never) return new Promise(() => {});
        if ('fail' in spec) {
          if (sync) throw new Error(spec.fail);
          return Promise.reject(spec.fail);
        }
        return sync ? spec.result : Promise.resolve(spec.result);
      },
    };
  }
}
