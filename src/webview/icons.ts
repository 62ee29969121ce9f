/**
 * Inline SVG icons built with DOM APIs. We ship no icon font (font-src is locked to our own
 * resources and the codicon font is not bundled), and SVG presentation attributes such as `fill`
 * are not inline styles, so the CSP is satisfied.
 */
const SVG_NS = 'http://www.w3.org/2000/svg';

const PATHS = {
  send: 'M2 2.5 14 8 2 13.5 3.6 8.75H8.5v-1.5H3.6Z',
  stop: 'M4 4h8v8H4Z',
  plus: 'M7.25 2.5h1.5v4.75h4.75v1.5H8.75v4.75h-1.5V8.75H2.5v-1.5h4.75Z',
  copy:
    'M5.5 1.5h7A1.5 1.5 0 0 1 14 3v8h-1.25V3a.25.25 0 0 0-.25-.25h-7Z' +
    'M3.5 4h6A1.5 1.5 0 0 1 11 5.5v8A1.5 1.5 0 0 1 9.5 15h-6A1.5 1.5 0 0 1 2 13.5v-8A1.5 1.5 0 0 1 3.5 4Zm0 1.25a.25.25 0 0 0-.25.25v8c0 .14.11.25.25.25h6c.14 0 .25-.11.25-.25v-8a.25.25 0 0 0-.25-.25Z',
  insert: 'M7.25 1.5h1.5v7.69l2.47-2.47 1.06 1.06L8 12.06 3.72 7.78l1.06-1.06 2.47 2.47ZM2.5 13h11v1.5h-11Z',
  retry:
    'M13.45 2.5v4.25H9.2v-1.5h1.83A4.75 4.75 0 1 0 12.7 9.4l1.45.38A6.25 6.25 0 1 1 11.95 4V2.5Z',
  arrowDown: 'M7.25 2h1.5v9.19l3.22-3.22 1.06 1.06L8 14.06 2.97 9.03l1.06-1.06 3.22 3.22Z',
  check: 'M6.27 10.87 13 4.14l1.06 1.06-7.79 7.8-4.33-4.34L3 7.6Z',
  warning:
    'M8 1.5a1 1 0 0 1 .87.5l6.06 10.5A1 1 0 0 1 14.06 14H1.94a1 1 0 0 1-.87-1.5L7.13 2a1 1 0 0 1 .87-.5Zm-.75 4v4h1.5v-4Zm0 5.25v1.5h1.5v-1.5Z',
  key:
    'M10.5 1.5a4 4 0 1 1-1.7 7.62L7.67 10.25H6v1.5H4.5v1.75H1.5v-2.6L6.88 5.5a4 4 0 0 1 3.62-4Zm1 2.25a1.25 1.25 0 1 0 0 2.5 1.25 1.25 0 0 0 0-2.5Z',
  shield: 'M8 1 14 3.5V8c0 3.3-2.6 5.9-6 7-3.4-1.1-6-3.7-6-7V3.5Zm0 1.6L3.5 4.5V8c0 2.5 1.9 4.5 4.5 5.4 2.6-.9 4.5-2.9 4.5-5.4V4.5Z',
  sparkle: 'M8 1.5 9.4 6.6 14.5 8 9.4 9.4 8 14.5 6.6 9.4 1.5 8 6.6 6.6Z',
  // A pencil on the diagonal: hollow body, solid tip and cap (evenodd cuts the body out).
  edit: 'M1.5 14.5 2.42 10.61 9.63 3.4 12.6 6.37 5.39 13.58ZM3.69 11.04 8.36 6.37 9.63 7.64 4.96 12.31Z',
  chevronLeft: 'M10.1 3.5 5.6 8l4.5 4.5-1.06 1.06L3.48 8l5.56-5.56Z',
  chevronRight: 'M5.9 3.5 10.4 8l-4.5 4.5 1.06 1.06L12.52 8 6.96 2.44Z',
  // Two sheets with a plus and a minus: "apply as a diff".
  wrap: 'M2 3h12v1.5H2Zm0 4h9.25a2.75 2.75 0 0 1 0 5.5H9.5V14L7 11.75 9.5 9.5V11h1.75a1.25 1.25 0 0 0 0-2.5H2Zm0 4h3.5v1.5H2Z',
  diff: 'M3 1.5h6.5L13 5v9.5H3Zm1.5 1.5v10h7V5.6L8.9 3Zm2.75 2h1.5v1.5h1.5V8h-1.5v1.5h-1.5V8h-1.5V6.5h1.5Zm-1.5 6h4.5v1.5h-4.5Z',
  // A framed picture: a sun and a hill (an image in context).
  image: 'M2 2.5h12v11H2Zm1.5 1.5v6.9l2.75-2.75 2.5 2.5 1.5-1.5 2.25 2.25V4ZM10.5 5a1.25 1.25 0 1 1 0 2.5 1.25 1.25 0 0 1 0-2.5Z',
  // A page with a folded corner and lines of text (a PDF in context).
  document: 'M3 1.5h6.5L13 5v9.5H3Zm1.5 1.5v10h7V5.6L8.9 3ZM6 7h4v1.25H6Zm0 2.5h4v1.25H6Z',
} as const;

export type IconName = keyof typeof PATHS;

/** A decorative 16×16 icon; the control it sits in carries the accessible name. */
export function icon(doc: Document, name: IconName): SVGSVGElement {
  const svg = doc.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', `icon icon-${name}`);
  const path = doc.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', PATHS[name]);
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('fill-rule', 'evenodd');
  svg.append(path);
  return svg;
}
