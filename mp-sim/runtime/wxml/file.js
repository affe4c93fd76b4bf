// WXML files as the renderer uses them: parsed once, with their structure read out —
// `<template name>` definitions, `<import src>` (the templates another file defines, not the
// ones it imports in turn), `<include src>` (another file's content in place, minus its
// templates and wxs) and `<wxs>` modules (inline or `src`).

import { parse } from './parse.js';
import { resolveWxs } from '../wxs.js';

/** Joins a WXML `src` onto the file that names it; `/x.wxml` is from the Mini Program's root. */
export function resolveSrc(from, src) {
  const path = resolveWxs(from, src);
  return path.endsWith('.wxml') ? path : `${path}.wxml`;
}

/**
 * The WXML files of one Mini Program.
 *
 * @param {Record<string, string>} files every file by path
 * @param {ReturnType<import('../wxs.js').createWxs>} wxs the Mini Program's WXS modules
 */
export function createWxmlFiles(files, wxs) {
  const compiled = new Map();

  /** The compiled file at `path`: `{path, nodes, templates, imports, modules()}`. */
  function get(path, from) {
    if (compiled.has(path)) return compiled.get(path);
    const source = files[path];
    if (source === undefined) {
      throw new Error(`${from ? `${from}: ` : ''}${path} does not exist`);
    }
    const file = { path, templates: new Map(), imports: [], wxsTags: [], nodes: [] };
    compiled.set(path, file);
    try {
      file.nodes = read(parse(source, path), file, [path]);
    } catch (error) {
      compiled.delete(path);
      throw error;
    }
    let modules = null;
    file.modules = () => {
      if (!modules) {
        modules = {};
        for (const tag of file.wxsTags) {
          modules[tag.module] = tag.src
            ? wxs.load(resolveWxs(path, tag.src), path)
            : wxs.inline(tag.code ?? '', path, tag.line, tag.module);
        }
      }
      return modules;
    };
    return file;
  }

  // Takes the structure out of a file's nodes and inlines its includes.
  function read(nodes, file, including) {
    const out = [];
    for (const node of nodes) {
      if (node.type !== 'element') {
        out.push(node);
        continue;
      }
      const attr = (name) => node.attrs.find((a) => a.name === name)?.value;
      if (node.tag === 'template' && attr('name') !== undefined) {
        file.templates.set(String(attr('name')), { node: { ...node, children: read(node.children, file, including) }, file });
      } else if (node.tag === 'import') {
        file.imports.push(resolveSrc(file.path, String(attr('src') ?? '')));
      } else if (node.tag === 'include') {
        const target = resolveSrc(file.path, String(attr('src') ?? ''));
        if (including.includes(target)) {
          throw new Error(`${file.path}:${node.line}: <include src="${attr('src')}"> includes itself (${[...including, target].join(' → ')})`);
        }
        const included = files[target];
        if (included === undefined) throw new Error(`${file.path}:${node.line}: <include src="${attr('src')}">: ${target} does not exist`);
        // An included file's own templates and wxs stay behind; only its content comes.
        const scratch = { path: target, templates: new Map(), imports: [], wxsTags: [] };
        const content = read(parse(included, target), scratch, [...including, target]);
        // `<include wx:if="…">`: the content under the include's own control attributes.
        const control = node.attrs.filter((a) => a.name.startsWith('wx:'));
        if (control.length) out.push({ type: 'element', tag: 'block', attrs: control, children: content, line: node.line, column: node.column });
        else out.push(...content);
      } else if (node.tag === 'wxs') {
        const module = attr('module');
        if (!module) throw new Error(`${file.path}:${node.line}: <wxs> needs a module="name"`);
        file.wxsTags.push({ module: String(module), src: attr('src'), code: node.code, line: node.codeLine ?? node.line });
      } else {
        out.push({ ...node, children: read(node.children, file, including) });
      }
    }
    return out;
  }

  /**
   * The template `name` as seen from `file`: its own, then those of the files it imports.
   * Returns `{node, file}` or null.
   */
  function template(file, name) {
    if (file.templates.has(name)) return file.templates.get(name);
    for (const path of file.imports) {
      const imported = get(path, file.path);
      if (imported.templates.has(name)) return imported.templates.get(name);
    }
    return null;
  }

  return { get, template, has: (path) => files[path] !== undefined };
}
