/**
 * Builds DOM nodes without parsing HTML: every string becomes a text node, so a model or tool
 * name from the server is shown, never interpreted.
 */

/**
 * @param {string} tag
 * @param {Record<string, string | undefined>} [attributes] `class`, `title`, `data-*`...
 * @param {...(Node | string | number | null | undefined)} children
 * @returns {HTMLElement}
 */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined) node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** @param {string} id */
export function byId(id) {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`the page has no #${id}`);
  return node;
}

/**
 * @param {HTMLElement} node
 * @param {boolean} shown
 */
export function show(node, shown) {
  node.hidden = !shown;
}
