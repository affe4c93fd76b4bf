// What a Mini Program uses that mp-sim would refuse, found before a run (`zion-pay-e2e
// doctor`): every WXML file parsed with mp-sim's own parser, every tag checked against the
// built-in components mp-sim renders and the custom components the file's usingComponents
// (and app.json's) name, every `wx.<api>` a module calls checked against the wx mp-sim
// implements, plugins, usingComponents paths that lead nowhere, files that do not parse.
// Each gap is listed once with its count and where it is used, so a team sees the whole gap
// at once instead of one error per run.
//
// stdin:  {"files": {"<path>": "<text>", …}, "modules": {"<path>": "<CommonJS>", …}}
// stdout: {"gaps": [{"kind", "name", "uses": [{"file", "line"}], "warning"}, …], "wx": [supported API names],
//          "tags": [built-in tags]}
import { readFileSync } from 'node:fs';
import { parse, BUILT_IN_TAGS, STRUCTURE_TAGS, MISSING_WECHAT_TAGS } from './runtime/wxml/parse.js';
import { createWx } from './runtime/wx/index.js';
import { TabBar } from './runtime/tab_bar.js';
import { viewApis } from './runtime/view_apis.js';
import { componentCandidates } from './runtime/component.js';

/** Every wx API mp-sim implements (the wx object boot.js builds, with its runtime's extras). */
export function supportedWx() {
  const { wx } = createWx({
    fetch: () => Promise.reject(new Error('survey')),
    navigation: {},
    more: (kinds) => viewApis(kinds, { selectorQuery: () => null, native: () => null, tabBar: new TabBar(null, () => {}) }),
  });
  return Object.keys(wx).sort();
}

/** The gaps of a Mini Program's files and modules (see the header). */
export function survey({ files = {}, modules = {} }) {
  const gaps = new Map();
  const gap = (kind, name, file, line, warning = false) => {
    const key = `${kind}\u0000${name}`;
    if (!gaps.has(key)) gaps.set(key, { kind, name, uses: [], warning });
    gaps.get(key).uses.push({ file, line });
  };
  const json = (path) => {
    if (files[path] === undefined) return {};
    try {
      return JSON.parse(files[path]);
    } catch (error) {
      gap('file that does not parse', path, path, 1);
      return {};
    }
  };
  const app = json('app.json');
  const global = app.usingComponents ?? {};
  const isModule = (path) => Object.hasOwn(modules, `${path}.js`) || Object.hasOwn(modules, `${path}/index.js`);
  const resolves = (from, path) => !path.startsWith('plugin://') && componentCandidates(from, path).some(isModule);
  const declared = new Set(Object.keys(global));
  for (const path of Object.keys(files)) {
    if (!path.endsWith('.json')) continue;
    const using = json(path).usingComponents ?? {};
    const owner = path.replace(/\.json$/, '');
    for (const [tag, target] of Object.entries(using)) {
      declared.add(tag);
      if (String(target).startsWith('plugin://')) gap('plugin component (WeChat plugins do not run in mp-sim)', `<${tag}> ${target}`, path, 1);
      else if (!resolves(path === 'app.json' ? 'app' : owner, String(target))) gap('usingComponents path that leads nowhere', `<${tag}> "${target}"`, path, 1);
    }
  }
  for (const [path, text] of Object.entries(files)) {
    if (!path.endsWith('.wxml')) continue;
    const own = new Set([...Object.keys(global), ...Object.keys(json(path.replace(/\.wxml$/, '.json')).usingComponents ?? {})]);
    // A file without its own JSON (a template, an include) takes its tags from its user.
    const known = files[path.replace(/\.wxml$/, '.json')] === undefined ? declared : own;
    let nodes;
    try {
      nodes = parse(text, path);
    } catch (error) {
      gap('WXML that does not parse', error.message, path, /:(\d+):/.exec(error.message)?.[1] ?? 1);
      continue;
    }
    const walk = (list) => {
      for (const node of list) {
        if (node.type !== 'element') continue;
        if (!BUILT_IN_TAGS.has(node.tag) && !STRUCTURE_TAGS.has(node.tag) && !known.has(node.tag)) {
          if (MISSING_WECHAT_TAGS.has(node.tag)) gap('tag: a WeChat component mp-sim does not render', `<${node.tag}>`, path, node.line);
          else gap('tag: not a WeChat component nor in usingComponents, drawn as a plain element as WeChat does', `<${node.tag}>`, path, node.line, true);
        }
        walk(node.children);
      }
    };
    walk(nodes);
  }
  const supported = new Set(supportedWx());
  // `wx.` as code, not inside a host name or path (`https://wx.qlogo.cn/…`).
  const call = /(?<![\w$./-])wx\s*\.\s*([A-Za-z_$][\w$]*)/g;
  for (const [path, code] of Object.entries(modules)) {
    if (path.startsWith('miniprogram_npm/')) continue; // a package's code paths are its own business
    const lines = code.split('\n');
    lines.forEach((text, index) => {
      for (const match of text.matchAll(call)) {
        if (!supported.has(match[1])) gap('wx API mp-sim does not implement', `wx.${match[1]}`, path, index + 1);
      }
      if (/\brequirePlugin\s*\(/.test(text)) gap('plugin (WeChat plugins do not run in mp-sim)', 'requirePlugin()', path, index + 1);
    });
  }
  return [...gaps.values()].sort((a, b) => b.uses.length - a.uses.length || a.name.localeCompare(b.name));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const input = JSON.parse(readFileSync(0, 'utf8'));
  process.stdout.write(JSON.stringify({ gaps: survey(input), wx: supportedWx(), tags: [...BUILT_IN_TAGS] }));
}
