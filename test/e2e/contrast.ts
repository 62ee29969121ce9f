/**
 * Theme checks that can fail: the computed text and background colours of chat elements, and
 * their WCAG 2 contrast ratio (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio). A screenshot
 * alone passes whatever the colours are.
 */
import assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';

export interface Contrast {
  readonly selector: string;
  /** Computed colours as sRGB 0-255 (background composited down to the first opaque layer). */
  readonly color: readonly [number, number, number];
  readonly background: readonly [number, number, number];
  readonly ratio: number;
  /** Relative luminance of the background, 0 (black) to 1 (white). */
  readonly backgroundLuminance: number;
}

/** WCAG's minimum for body text (1.4.3, level AA). */
export const MIN_TEXT_CONTRAST = 4.5;

/**
 * Runs in the webview. A string, not a function: tsx would wrap the named helpers below in a
 * `__name()` call that the page does not have.
 */
const MEASURE = `(sel) => {
  const parse = (value) => {
    const rgb = /^rgba?\\(([\\d.]+),\\s*([\\d.]+),\\s*([\\d.]+)(?:,\\s*([\\d.]+))?\\)$/.exec(value);
    if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), rgb[4] === undefined ? 1 : Number(rgb[4])];
    const srgb = /^color\\(srgb ([\\d.e-]+) ([\\d.e-]+) ([\\d.e-]+)(?: \\/ ([\\d.]+))?\\)$/.exec(value);
    if (srgb) return [Number(srgb[1]) * 255, Number(srgb[2]) * 255, Number(srgb[3]) * 255, srgb[4] === undefined ? 1 : Number(srgb[4])];
    throw new Error('cannot read the colour ' + value);
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
  };
  const element = Array.from(document.querySelectorAll(sel)).find((e) => e.getClientRects().length > 0);
  if (!element) return { error: 'no visible ' + sel };
  // Background layers from the element up to the first opaque one, then painted bottom-up.
  const layers = [];
  for (let e = element; e; e = e.parentElement) {
    const layer = parse(getComputedStyle(e).backgroundColor);
    if (layer[3] > 0) layers.push(layer);
    if (layer[3] >= 1) break;
  }
  // No opaque layer: the webview is transparent and the workbench's side bar shows through it.
  const root = getComputedStyle(document.documentElement);
  const base = (root.getPropertyValue('--vscode-sideBar-background') || root.getPropertyValue('--vscode-editor-background')).trim();
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(base);
  if (!hex) return { error: 'no opaque background under ' + sel + ' and no side bar colour (' + base + ')' };
  let background = [parseInt(hex[1], 16), parseInt(hex[2], 16), parseInt(hex[3], 16), 1];
  for (const layer of layers.reverse()) background = over(layer, background);
  const color = over(parse(getComputedStyle(element).color), background);
  return { color: color.slice(0, 3), background: background.slice(0, 3) };
}`;

/** The first visible element matching `selector` in the webview, its colours and their contrast. */
export async function contrastOf(frame: Frame, selector: string): Promise<Contrast> {
  const measured = (await frame.evaluate(`(${MEASURE})(${JSON.stringify(selector)})`)) as { error: string } | { color: number[]; background: number[] };
  if ('error' in measured) throw new Error(measured.error);
  const color = measured.color as [number, number, number];
  const background = measured.background as [number, number, number];
  const lighter = Math.max(luminance(color), luminance(background));
  const darker = Math.min(luminance(color), luminance(background));
  return { selector, color, background, ratio: (lighter + 0.05) / (darker + 0.05), backgroundLuminance: luminance(background) };
}

/** WCAG relative luminance of an sRGB colour. */
export function luminance([r, g, b]: readonly [number, number, number]): number {
  const channel = (v: number): number => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/**
 * Asserts each selector's text reaches 4.5:1 against its background, and that the first one (the
 * chat's main text) sits on the theme's background (dark: luminance under 0.2; light: over 0.6),
 * so a theme that did not reach the webview fails.
 */
export async function assertReadable(frame: Frame, theme: 'dark' | 'light', selectors: readonly string[]): Promise<Contrast[]> {
  const results: Contrast[] = [];
  for (const selector of selectors) {
    const c = await contrastOf(frame, selector);
    results.push(c);
    const where = `${selector} in the ${theme} theme: rgb(${c.color.map(Math.round).join(',')}) on rgb(${c.background.map(Math.round).join(',')})`;
    assert.ok(c.ratio >= MIN_TEXT_CONTRAST, `${where} has contrast ${c.ratio.toFixed(2)}:1, under ${MIN_TEXT_CONTRAST}:1`);
    if (results.length > 1) continue;
    if (theme === 'dark') assert.ok(c.backgroundLuminance < 0.2, `${where}: the background is not dark`);
    else assert.ok(c.backgroundLuminance > 0.6, `${where}: the background is not light`);
  }
  return results;
}
