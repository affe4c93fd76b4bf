// Loads the Mini Program's modules — one script each, so a stack trace or a syntax error
// names the file and line — then boots mp-sim. A module that does not parse fails where it
// is required (boot.js gives the loader its error); other errors before boot are recorded.

const { modules = [], sources = {}, subpackages = [], entry = '' } = window.MP_SIM_CONFIG ?? {};
const early = [];
// A module that does not parse fails where it is required, as in WeChat, not at launch: an
// npm package's file nobody requires must not stop the app.
const moduleErrors = {};
const bySource = Object.fromEntries(Object.entries(sources).map(([module, source]) => [source, module]));
const keep = (event) => {
  const error = event.error ?? new Error(`${event.message} (${event.filename}:${event.lineno})`);
  const file = /\/__mp\/module\/(.+)$/.exec(event.filename ?? '')?.[1];
  const name = document.currentScript?.dataset?.module ?? (file ? decodeURIComponent(file) : null);
  const module = name && (bySource[name] ?? (modules.includes(name) ? name : null));
  if (module) moduleErrors[module] = error;
  else early.push(error);
};
window.addEventListener('error', keep);
window.__mpEarlyErrors = early;
window.__mpModuleErrors = moduleErrors;

const loadScript = (path) =>
  new Promise((resolve) => {
    const script = document.createElement('script');
    script.src = `/__mp/module/${path.split('/').map(encodeURIComponent).join('/')}`;
    script.dataset.module = path;
    script.onload = resolve;
    script.onerror = () => {
      early.push(new Error(`could not load the module ${path}`));
      resolve();
    };
    document.head.appendChild(script);
  });

// A subpackage's modules load when one of its pages is first opened, as WeChat downloads
// a subpackage then; until then the main package cannot require them.
const rootOf = (path) => subpackages.find((sub) => path.startsWith(`${sub.root}/`))?.root ?? null;
const loaded = new Map();
window.__mpLoadSubpackage = (root) => {
  if (!loaded.has(root)) {
    loaded.set(root, Promise.all(modules.filter((path) => rootOf(path) === root).map(loadScript)));
  }
  return loaded.get(root);
};
// The subpackage a module lies in, loaded (`require.async`); nothing for the main package's.
window.__mpLoadSubpackageOf = (path) => (rootOf(path) ? window.__mpLoadSubpackage(rootOf(path)) : undefined);
await Promise.all(modules.filter((path) => rootOf(path) === null).map(loadScript));
if (rootOf(entry)) await window.__mpLoadSubpackage(rootOf(entry));
// Errors while a subpackage loads are a module's own, kept for where it is required.
await import('./boot.js');
