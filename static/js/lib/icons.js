// Icons for scripts: a <svg><use> of the page's sprite (templates/_icons.html, rendered once by the
// screen with sprite()), so a script draws the same icons as the server and never an emoji.
const SVG = "http://www.w3.org/2000/svg";

export function icon(name, size = 24) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", `icon icon-${name}`);
  svg.setAttribute("width", String(size));
  svg.setAttribute("height", String(size));
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const use = document.createElementNS(SVG, "use");
  use.setAttribute("href", `#i-${name}`);
  svg.append(use);
  return svg;
}

// Point an icon already on the page (server-rendered or made by icon()) at another symbol.
export function setIcon(svg, name) {
  svg.querySelector("use").setAttribute("href", `#i-${name}`);
  svg.setAttribute("class", `icon icon-${name}`);
}
