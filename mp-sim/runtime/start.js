// Loads the Mini Program's modules — one script each, so a stack trace or a syntax error
// names the file and line — then boots mp-sim. Errors before boot (a syntax error in a
// page) are kept for boot to record.

const early = [];
const keep = (event) => early.push(event.error ?? new Error(`${event.message} (${event.filename}:${event.lineno})`));
window.addEventListener('error', keep);
window.__mpEarlyErrors = early;

const { modules = [] } = window.MP_SIM_CONFIG ?? {};
await Promise.all(
  modules.map(
    (path) =>
      new Promise((resolve) => {
        const script = document.createElement('script');
        script.src = `/__mp/module/${path.split('/').map(encodeURIComponent).join('/')}`;
        script.onload = resolve;
        script.onerror = () => {
          early.push(new Error(`could not load the module ${path}`));
          resolve();
        };
        document.head.appendChild(script);
      }),
  ),
);
window.removeEventListener('error', keep);
await import('./boot.js');
