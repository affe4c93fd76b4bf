import { rpxToPx } from '../wxss.js';
import { decodeEntities } from '../wxml/parse.js';

// <rich-text nodes>: an HTML string or WeChat's node array, drawn as real elements. Only
// the tags and attributes WeChat allows are kept: no script, no handlers, no frames.
const RICH_TAGS = new Set('a abbr address article aside b bdi bdo big blockquote br caption center cite code col colgroup dd del div dl dt em fieldset font footer h1 h2 h3 h4 h5 h6 header hr i img ins label legend li mark nav ol p pre q rt ruby s section small span strong sub sup table tbody td tfoot th thead tr tt u ul'.split(' '));
const RICH_DROPPED = new Set(['script', 'style', 'iframe', 'object', 'embed', 'template', 'noscript', 'link', 'meta']);
const RICH_ATTRS = new Set(['class', 'style', 'src', 'alt', 'width', 'height', 'align', 'colspan', 'rowspan', 'span', 'start', 'type', 'dir', 'color', 'face', 'size', 'cellpadding', 'cellspacing', 'border']);

export function richText(element, nodes, previous, fresh) {
  if (!fresh && nodes === previous) return;
  const doc = element.ownerDocument;
  element.textContent = '';
  const build = (list, parent) => {
    for (const node of list ?? []) {
      if (node === null || typeof node !== 'object') continue;
      if (node.type === 'text') {
        parent.appendChild(doc.createTextNode(decodeEntities(String(node.text ?? ''))));
        continue;
      }
      const name = String(node.name ?? '').toLowerCase();
      if (RICH_DROPPED.has(name)) continue;
      if (!RICH_TAGS.has(name)) {
        build(node.children, parent);
        continue;
      }
      const child = doc.createElement(name);
      for (const [attr, value] of Object.entries(node.attrs ?? {})) {
        if (RICH_ATTRS.has(attr.toLowerCase())) child.setAttribute(attr, attr === 'style' ? rpxToPx(String(value)) : String(value));
      }
      build(node.children, child);
      parent.appendChild(child);
    }
  };
  if (typeof nodes === 'string') {
    const template = doc.createElement('template');
    template.innerHTML = nodes;
    build(toNodes(template.content.childNodes), element);
  } else if (Array.isArray(nodes)) {
    build(nodes, element);
  }
}

function toNodes(domNodes) {
  return [...domNodes].map((n) => {
    if (n.nodeType === 3) return { type: 'text', text: n.data };
    if (n.nodeType !== 1) return null;
    return { name: n.localName, attrs: Object.fromEntries([...n.attributes].map((a) => [a.name, a.value])), children: toNodes(n.childNodes) };
  });
}
