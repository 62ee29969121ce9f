/**
 * The chat page's Content Security Policy: no inline script or style (scripts need the per-load
 * nonce), no network (`connect-src 'none'`), styles, fonts and images only from `source` (the
 * webview's cspSource: the extension's own folder), plus `blob:` images: thumbnails of the images
 * in context, made in the page from bytes the host sent. Nothing remote, ever. Shared by the
 * extension and the render bench.
 */
export function chatCsp(source: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${source}`,
    `font-src ${source}`,
    `img-src ${source} blob:`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}
