// Small DOM builders shared by the live room's modules.
export function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

export function button(text, onClick, attrs = {}) {
  const node = el("button", text, "button");
  node.type = "button";
  Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));
  node.addEventListener("click", onClick);
  return node;
}
