/**
 * Theme checks that can fail: the computed text and background colours of chat elements, and
 * their WCAG 2 contrast ratio (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio); in high
 * contrast, the borders and focus rings the theme asks for (its contrastBorder and focusBorder
 * colours). A screenshot alone passes whatever the colours are.
 */
import assert from 'node:assert/strict';
import type { Frame, Locator, Page } from 'playwright-core';
import { waitFor } from './fixture';
import { isHighContrast, screenshot, setColorTheme, THEME_KINDS, THEMES, type ThemeKind } from './harness/browser';

type Rgb = readonly [number, number, number];

export interface Contrast {
  readonly selector: string;
  /** Computed colours as sRGB 0-255 (background composited down to the first opaque layer). */
  readonly color: Rgb;
  readonly background: Rgb;
  readonly ratio: number;
  /** Relative luminance of the background, 0 (black) to 1 (white). */
  readonly backgroundLuminance: number;
}

/** An element to check, named for the failure message. */
export interface Target {
  /** What a person would call it: "a context chip", "the error box's title". */
  readonly name: string;
  /** The first visible match in the webview is measured. */
  readonly selector: string;
}

/** WCAG's minimum for body text (1.4.3, level AA). */
export const MIN_TEXT_CONTRAST = 4.5;

/** WCAG's minimum for the parts of a control that show it is there or focused (1.4.11). */
export const MIN_NON_TEXT_CONTRAST = 3;

/**
 * Runs in the webview. Strings, not functions: tsx would wrap the named helpers below in a
 * `__name()` call that the page does not have. HELPERS defines `parse` (a computed colour or a
 * theme variable's hex value to [r, g, b, a]), `over` (alpha compositing), `visible` and
 * `backdrop` (the opaque colour painted behind an element, from its own background down).
 */
const HELPERS = `
  const parse = (value) => {
    const v = value.trim();
    const rgb = /^rgba?\\(([\\d.]+),\\s*([\\d.]+),\\s*([\\d.]+)(?:,\\s*([\\d.]+))?\\)$/.exec(v);
    if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), rgb[4] === undefined ? 1 : Number(rgb[4])];
    const srgb = /^color\\(srgb ([\\d.e-]+) ([\\d.e-]+) ([\\d.e-]+)(?: \\/ ([\\d.]+))?\\)$/.exec(v);
    if (srgb) return [Number(srgb[1]) * 255, Number(srgb[2]) * 255, Number(srgb[3]) * 255, srgb[4] === undefined ? 1 : Number(srgb[4])];
    const hex = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(v);
    if (hex) return [parseInt(hex[1].slice(0, 2), 16), parseInt(hex[1].slice(2, 4), 16), parseInt(hex[1].slice(4, 6), 16), hex[2] === undefined ? 1 : parseInt(hex[2], 16) / 255];
    const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])([0-9a-f])?$/i.exec(v);
    if (short) return [parseInt(short[1] + short[1], 16), parseInt(short[2] + short[2], 16), parseInt(short[3] + short[3], 16), short[4] === undefined ? 1 : parseInt(short[4] + short[4], 16) / 255];
    throw new Error('cannot read the colour "' + value + '"');
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
  };
  const root = getComputedStyle(document.documentElement);
  const themeVar = (name) => root.getPropertyValue('--vscode-' + name).trim();
  const visible = (sel) => sel === ':focus' ? document.activeElement : Array.from(document.querySelectorAll(sel)).find((e) => e.getClientRects().length > 0);
  // Background layers from the element up to the first opaque one, then painted bottom-up.
  // No opaque layer: the webview is transparent and the workbench's side bar shows through it.
  const backdrop = (element) => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const layer = parse(getComputedStyle(e).backgroundColor);
      if (layer[3] > 0) layers.push(layer);
      if (layer[3] >= 1) break;
    }
    const base = themeVar('sideBar-background') || themeVar('editor-background');
    let background = parse(base || 'transparent-missing');
    for (const layer of layers.reverse()) background = over(layer, background);
    return background;
  };
`;

const MEASURE_TEXT = `(sels) => {
  ${HELPERS}
  return sels.map((sel) => {
  const element = visible(sel);
  if (!element) return { error: 'no visible ' + sel };
  const background = backdrop(element);
  // opacity on the element or an ancestor fades its text into what is behind it.
  let opacity = 1;
  for (let e = element; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
  const text = parse(getComputedStyle(element).color);
  const color = over([text[0], text[1], text[2], text[3] * opacity], background);
  return { color: color.slice(0, 3), background: background.slice(0, 3) };
  });
}`;

const MEASURE_EDGES = `(sels) => {
  ${HELPERS}
  return sels.map((sel) => {
  const element = visible(sel);
  if (!element) return { error: sel === ':focus' ? 'nothing has the focus' : 'no visible ' + sel };
  const style = getComputedStyle(element);
  const outside = element.parentElement ? backdrop(element.parentElement) : backdrop(element);
  const edge = (s, w, c) => ({ style: s, width: parseFloat(w), color: over(parse(c), outside).slice(0, 3), alpha: parse(c)[3] });
  const sides = {};
  for (const side of ['top', 'right', 'bottom', 'left']) {
    sides[side] = edge(style.getPropertyValue('border-' + side + '-style'), style.getPropertyValue('border-' + side + '-width'), style.getPropertyValue('border-' + side + '-color'));
  }
  // An outline drawn inside the box (negative offset) sits on the element's own background.
  const outlineOn = parseFloat(style.outlineOffset) < 0 ? backdrop(element) : outside;
  const outline = { ...edge(style.outlineStyle, style.outlineWidth, style.outlineColor), color: over(parse(style.outlineColor), outlineOn).slice(0, 3), on: outlineOn.slice(0, 3) };
  const vars = {};
  for (const name of ['contrastBorder', 'contrastActiveBorder', 'focusBorder']) {
    const value = themeVar(name);
    vars[name] = value ? over(parse(value), outside).slice(0, 3) : null;
  }
  const describe = element.tagName.toLowerCase() + (element.id ? '#' + element.id : '') + (element.className && typeof element.className === 'string' ? '.' + element.className.trim().split(/\\s+/).join('.') : '');
  return { sides, outline, vars, outside: outside.slice(0, 3), element: describe };
  });
}`;

/**
 * For each selector (in one round trip to the webview), the first visible match's colours and
 * their contrast, or why it could not be measured.
 */
export async function contrastsOf(frame: Frame, selectors: readonly string[]): Promise<Array<Contrast | Error>> {
  const measured = (await frame.evaluate(`(${MEASURE_TEXT})(${JSON.stringify(selectors)})`)) as Array<{ error: string } | { color: Rgb; background: Rgb }>;
  return measured.map((m, i) => {
    if ('error' in m) return new Error(m.error);
    return { selector: selectors[i] ?? '', color: m.color, background: m.background, ratio: contrastRatio(m.color, m.background), backgroundLuminance: luminance(m.background) };
  });
}

/** WCAG relative luminance of an sRGB colour. */
export function luminance([r, g, b]: Rgb): number {
  const channel = (v: number): number => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG contrast ratio of two opaque colours, 1 to 21. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const lighter = Math.max(luminance(a), luminance(b));
  const darker = Math.min(luminance(a), luminance(b));
  return (lighter + 0.05) / (darker + 0.05);
}

const rgb = (c: Rgb): string => `rgb(${c.map(Math.round).join(',')})`;
const themeName = (theme: ThemeKind): string => `${THEMES[theme].label} (${theme})`;
const isDark = (theme: ThemeKind): boolean => theme === 'dark' || theme === 'hcDark';
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The problems (none when all is well) with each target's text: under 4.5:1 against its
 * background, or missing. The first target (the chat's main text) must also sit on the theme's
 * background (dark kinds: luminance under 0.2; light kinds: over 0.6), so a theme that did not
 * reach the webview fails.
 */
export async function textProblems(frame: Frame, theme: ThemeKind, targets: readonly Target[]): Promise<string[]> {
  const problems: string[] = [];
  const measured = await contrastsOf(frame, targets.map((t) => t.selector));
  for (const [index, target] of targets.entries()) {
    const head = `${themeName(theme)} theme, ${target.name} (${target.selector})`;
    const c = measured[index];
    if (c === undefined || c instanceof Error) {
      problems.push(`${head}: ${messageOf(c)}`);
      continue;
    }
    const where = `${head}: text ${rgb(c.color)} on ${rgb(c.background)}`;
    if (c.ratio < MIN_TEXT_CONTRAST) problems.push(`${where} has contrast ${c.ratio.toFixed(2)}:1, under ${MIN_TEXT_CONTRAST}:1`);
    if (index > 0) continue;
    if (isDark(theme) && c.backgroundLuminance >= 0.2) problems.push(`${where}: the background is not dark`);
    if (!isDark(theme) && c.backgroundLuminance <= 0.6) problems.push(`${where}: the background is not light`);
  }
  return problems;
}

type Side = 'top' | 'right' | 'bottom' | 'left';
const SIDES: readonly Side[] = ['top', 'right', 'bottom', 'left'];
interface Edge {
  readonly style: string;
  readonly width: number;
  readonly color: Rgb;
  readonly alpha: number;
}
interface Outline extends Edge {
  /** What the outline is painted on (the element itself when it is drawn inside). */
  readonly on: Rgb;
}
interface Edges {
  readonly sides: Record<Side, Edge>;
  readonly outline: Outline;
  readonly vars: Record<'contrastBorder' | 'contrastActiveBorder' | 'focusBorder', Rgb | null>;
  readonly outside: Rgb;
  readonly element: string;
}

/** Borders and outline of the first visible match of each selector, in one round trip. */
async function edgesOf(frame: Frame, selectors: readonly string[]): Promise<Array<Edges | Error>> {
  const measured = (await frame.evaluate(`(${MEASURE_EDGES})(${JSON.stringify(selectors)})`)) as Array<{ error: string } | Edges>;
  return measured.map((m) => ('error' in m ? new Error(m.error) : m));
}

const sameColour = (a: Rgb, b: Rgb): boolean => a.every((v, i) => Math.abs(v - (b[i] ?? 0)) <= 1.5);

/** What is wrong with one line (a border side or an outline): missing, another colour, too faint. */
function edgeProblem(where: string, edge: Edge, expected: Rgb, expectedName: string, on: Rgb): string | undefined {
  if (edge.style === 'none' || edge.style === 'hidden' || edge.width < 1) return `${where} is missing (${edge.style} ${edge.width}px)`;
  if (!sameColour(edge.color, expected)) return `${where} is ${rgb(edge.color)}, not the theme's ${expectedName} ${rgb(expected)}`;
  const ratio = contrastRatio(edge.color, on);
  if (ratio < MIN_NON_TEXT_CONTRAST) return `${where} ${rgb(edge.color)} on ${rgb(on)} has contrast ${ratio.toFixed(2)}:1, under ${MIN_NON_TEXT_CONTRAST}:1`;
  return undefined;
}

export interface BorderTarget extends Target {
  /** The sides that must carry the border; default all four. */
  readonly sides?: readonly Side[];
}

/**
 * High contrast only (none in the other kinds): the problems with each target's border, which
 * must be a solid line of the theme's contrastBorder colour on the given sides, at least 3:1
 * against what is around it. This is how VS Code's own widgets stand out in high contrast, where
 * every background is black or white.
 */
export async function borderProblems(frame: Frame, theme: ThemeKind, targets: readonly BorderTarget[]): Promise<string[]> {
  if (!isHighContrast(theme)) return [];
  const problems: string[] = [];
  const measured = await edgesOf(frame, targets.map((t) => t.selector));
  for (const [index, target] of targets.entries()) {
    const head = `${themeName(theme)} theme, ${target.name}`;
    const edges = measured[index];
    if (edges === undefined || edges instanceof Error) {
      problems.push(`${head} (${target.selector}): ${messageOf(edges)}`);
      continue;
    }
    const expected = edges.vars.contrastBorder;
    if (!expected) {
      problems.push(`${themeName(theme)} theme defines no --vscode-contrastBorder`);
      continue;
    }
    for (const side of target.sides ?? SIDES) {
      const problem = edgeProblem(`${head} (${edges.element}): the ${side} border`, edges.sides[side], expected, 'contrastBorder', edges.outside);
      if (problem) problems.push(problem);
    }
  }
  return problems;
}

/**
 * The problems with the focus ring of the focused element (`:focus`) or of `selector`, in every
 * kind: an outline, or with `via: 'border'` its border, in the theme's focusBorder colour, at
 * least 3:1 against what it is drawn on. In high contrast focusBorder must be the theme's
 * contrastActiveBorder, as VS Code's own focus rings are.
 */
export async function focusProblems(frame: Frame, theme: ThemeKind, target: Target & { readonly via?: 'outline' | 'border' }): Promise<string[]> {
  const head = `${themeName(theme)} theme, the focus ring of ${target.name}`;
  const [edges] = await edgesOf(frame, [target.selector]);
  if (edges === undefined || edges instanceof Error) return [`${head} (${target.selector}): ${messageOf(edges)}`];
  const focus = edges.vars.focusBorder;
  if (!focus) return [`${themeName(theme)} theme defines no --vscode-focusBorder`];
  const problems: string[] = [];
  const active = edges.vars.contrastActiveBorder;
  if (isHighContrast(theme) && !(active && sameColour(focus, active))) {
    problems.push(`${themeName(theme)} theme: focusBorder ${rgb(focus)} is not its contrastActiveBorder ${active ? rgb(active) : '(none)'}`);
  }
  const where = `${head} (${edges.element})`;
  const lines = target.via === 'border'
    ? SIDES.map((side) => edgeProblem(`${where}: its ${side} border`, edges.sides[side], focus, 'focusBorder', edges.outside))
    : [edgeProblem(`${where}: its outline`, edges.outline, focus, 'focusBorder', edges.outline.on)];
  for (const line of lines) if (line) problems.push(line);
  return problems;
}

/**
 * High contrast only (none in the other kinds): the problems with the hovered element (select it
 * with `:hover` once the mouse is on it), which must show a dashed outline of the theme's
 * contrastActiveBorder, as VS Code's own toolbar buttons do there (HC themes have no hover
 * backgrounds).
 */
export async function hoverProblems(frame: Frame, theme: ThemeKind, target: Target): Promise<string[]> {
  if (!isHighContrast(theme)) return [];
  const head = `${themeName(theme)} theme, the hover outline of ${target.name}`;
  const [edges] = await edgesOf(frame, [target.selector]);
  if (edges === undefined || edges instanceof Error) return [`${head} (${target.selector}): ${messageOf(edges)}`];
  const active = edges.vars.contrastActiveBorder;
  if (!active) return [`${themeName(theme)} theme defines no --vscode-contrastActiveBorder`];
  if (edges.outline.style !== 'dashed') return [`${head} (${edges.element}): the outline is ${edges.outline.style}, not dashed`];
  const problem = edgeProblem(`${head} (${edges.element})`, edges.outline, active, 'contrastActiveBorder', edges.outline.on);
  return problem ? [problem] : [];
}

/** The `data-vscode-theme-kind` VS Code sets on a webview's body for each kind. */
const WEBVIEW_KIND: Record<ThemeKind, string> = {
  light: 'vscode-light',
  dark: 'vscode-dark',
  hcDark: 'vscode-high-contrast',
  hcLight: 'vscode-high-contrast-light',
};

/**
 * Switches the workbench through every theme kind, as a person would (the Color Theme picker),
 * and in each, once the webview has the new colours, runs `check` for its list of problems and
 * saves a screenshot as `<label>-<kind>.png`. Fails at the end with every problem of every kind.
 */
export async function checkEveryTheme(page: Page, frame: Frame, label: string, check: (theme: ThemeKind) => Promise<string[]>): Promise<void> {
  const problems: string[] = [];
  for (const theme of THEME_KINDS) {
    const started = Date.now();
    await setColorTheme(page, theme);
    await waitFor(`the webview to take the ${THEMES[theme].label} theme`, async () =>
      (await frame.evaluate(() => document.body.getAttribute('data-vscode-theme-kind'))) === WEBVIEW_KIND[theme] ? true : undefined, 10_000);
    // The theme's variables arrive with the kind; one frame for the styles to apply.
    await frame.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    try {
      problems.push(...(await check(theme)));
    } catch (error) {
      problems.push(`${themeName(theme)} theme: ${messageOf(error)}`);
    }
    await screenshot(page, `${label}-${theme}`);
    process.stderr.write(`[theme] ${label} ${theme}: switched, checked and pictured in ${Date.now() - started} ms\n`);
  }
  assert.ok(problems.length === 0, `${problems.length} theme problem(s):\n${problems.join('\n')}`);
}

/** Moves the focus onto `locator` with the keyboard (Shift+Tab, Tab), so :focus-visible applies. */
export async function focusByKeyboard(locator: Locator): Promise<void> {
  await locator.focus();
  await locator.press('Shift+Tab');
  await locator.page().keyboard.press('Tab');
  assert.ok(await locator.evaluate((element) => element === document.activeElement), 'Tab did not come back to the element');
}
