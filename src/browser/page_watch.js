// Injected before any page script runs: remembers what the app's own code reported as going
// wrong — uncaught errors, unhandled promise rejections, console.error — with the file:line
// it came from, in sessionStorage (it survives the shop's own navigations in this tab), so a
// failed step can name an error the app swallowed or only logged.
(() => {
  const KEY = '__zion_e2e_page_errors';
  const LIMIT = 50;
  const firstFrame = (stack) => {
    if (!stack) return '';
    for (const line of String(stack).split('\n').slice(1)) {
      const match = line.match(/\(?([^\s()]+:\d+:\d+)\)?\s*$/);
      if (match) return match[1];
    }
    return '';
  };
  const text = (value) => {
    if (value instanceof Error) return `${value.name}: ${value.message}`;
    if (typeof value === 'string') return value;
    try { return JSON.stringify(value); } catch (e) { return String(value); }
  };
  const record = (entry) => {
    try {
      const list = JSON.parse(sessionStorage.getItem(KEY) || '[]');
      if (list.length >= LIMIT) return;
      list.push(Object.assign({ page: location.href }, entry));
      sessionStorage.setItem(KEY, JSON.stringify(list));
    } catch (e) { /* storage may be off for this origin */ }
  };
  window.addEventListener('error', (event) => {
    // A Mini Program module's script that does not parse (an npm package's test file using
    // import.meta, say): mp-sim keeps its error for where the module is required, as WeChat
    // never runs a file nobody requires. Its script only defines the module, so an error while
    // it runs is that.
    const script = document.currentScript;
    if (script && script.dataset && script.dataset.module) return;
    const at = event.filename ? `${event.filename}:${event.lineno}:${event.colno}` : firstFrame(event.error && event.error.stack);
    record({ kind: 'uncaught error', message: event.message || text(event.error), at });
  });
  window.addEventListener('unhandledrejection', (event) => {
    const reason = event.reason;
    record({ kind: 'unhandled rejection', message: text(reason), at: firstFrame(reason && reason.stack) });
  });
  const originalError = console.error;
  console.error = function error(...args) {
    // mp-sim logs what it records itself ("[mp-sim] where: …"): a failure names it once,
    // from mp-sim's record, with the app's own file and line.
    if (typeof args[0] === 'string' && args[0].startsWith('[mp-sim] ')) return originalError.apply(this, args);
    const thrown = args.find((a) => a instanceof Error);
    const at = thrown ? firstFrame(thrown.stack) : firstFrame(new Error().stack);
    record({ kind: 'console.error', message: args.map(text).join(' '), at });
    return originalError.apply(this, args);
  };
})();
