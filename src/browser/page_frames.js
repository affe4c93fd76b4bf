// Lists the page's frames (with their URL when same-origin) and every form posting to
// Alipay's gateway in the page and in the frames it can read, for the diagnosis of a failed
// step (a form that was never submitted, or submitted inside a frame).
const frames = [];
const forms = [];
const hidden = (el) => {
  const style = window.getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return style.display === 'none' || style.visibility === 'hidden' || box.width < 2 || box.height < 2;
};
const describe = (el) => {
  const tag = el.tagName.toLowerCase();
  if (el.id) return `${tag}#${el.id}`;
  if (el.name) return `${tag}[name=${el.name}]`;
  return tag;
};
const visit = (doc, frame, frameHidden, depth) => {
  for (const form of doc.querySelectorAll('form')) {
    if (/gateway\.do/.test(form.getAttribute('action') || '')) {
      forms.push({ frame, hidden: frameHidden });
    }
  }
  if (depth > 3) return;
  for (const el of doc.querySelectorAll('iframe, frame')) {
    const name = frame ? `${frame} > ${describe(el)}` : describe(el);
    const isHidden = frameHidden || hidden(el);
    let url = '';
    let inner = null;
    try {
      url = el.contentWindow.location.href;
      inner = el.contentWindow.document;
    } catch (e) { /* another origin: Alipay's gateway, say */ }
    frames.push({ name, url, hidden: isHidden });
    if (inner) visit(inner, name, isHidden, depth + 1);
  }
};
visit(document, null, false, 0);
return { frames, forms };
