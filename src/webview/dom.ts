/**
 * A tiny element factory. Views build DOM with it instead of innerHTML so that no string from
 * the host or the model is ever parsed as markup outside the sanitizer in render/markdown.ts.
 */
export interface ElementOptions {
  readonly id?: string;
  readonly className?: string;
  readonly text?: string;
  /** Plain attributes (aria-*, data-*, type…). `style` is deliberately not supported: CSP. */
  readonly attrs?: Readonly<Record<string, string>>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  options: ElementOptions = {},
  children: readonly (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  if (options.id !== undefined) node.id = options.id;
  if (options.className !== undefined) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  for (const [name, value] of Object.entries(options.attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

/** Element.closest that also works when the event target is a text node. */
export function closestElement(target: EventTarget | null, selector: string): Element | null {
  const node = target as Node | null;
  if (!node || typeof node.nodeType !== 'number') return null;
  const element = node.nodeType === 1 ? (node as Element) : node.parentElement;
  return element ? element.closest(selector) : null;
}

/**
 * Schedules work for the next animation frame; injectable so tests can drive frames by hand.
 * `'read'` work (it reads layout or scrolls, and changes no DOM) runs before the frame's other
 * callbacks: layout is still clean then, from the frame before. After a callback that inserted
 * nodes, the same read would force a synchronous layout of them, paid in script.
 */
export type FrameScheduler = (callback: () => void, phase?: 'read') => void;

/**
 * Runs work as a task of its own, after the current one (a full markdown render; see
 * streaming.ts), or once `delayMs` have passed (a timer).
 */
export type TaskRunner = (task: () => void, delayMs?: number) => void;

/**
 * One `requestAnimationFrame` per frame for any number of callbacks, run in the order they were
 * scheduled, `'read'` ones first (see FrameScheduler). A streaming turn schedules its render and
 * the transcript its scroll follow every frame; each rAF callback is a separate entry into script
 * with a fixed cost, paid 60 times a second. As with rAF itself, a callback scheduled while the
 * frame's callbacks run goes to the next frame, and one that throws does not keep the others from
 * running.
 */
export function animationFrameScheduler(win: Pick<Window, 'requestAnimationFrame'>): FrameScheduler {
  let reads: (() => void)[] = [];
  let queue: (() => void)[] = [];
  const run = (): void => {
    const current = [...reads, ...queue];
    reads = [];
    queue = [];
    let failure: { error: unknown } | undefined;
    for (const callback of current) {
      try {
        callback();
      } catch (error) {
        failure ??= { error };
      }
    }
    // Rethrown after the others ran, so it still reaches the console and error reporting.
    if (failure) throw failure.error;
  };
  return (callback, phase) => {
    if (queue.length === 0 && reads.length === 0) win.requestAnimationFrame(run);
    (phase === 'read' ? reads : queue).push(callback);
  };
}

/**
 * Briefly swaps a button's visible label (e.g. "Copy" -> "Copied") as feedback. The accessible
 * name is left alone; screen readers get the change through the polite live region in `status`.
 */
export function flashLabel(button: HTMLElement, text: string, ms = 1500): void {
  const label = button.querySelector('.label, .code-action-text');
  if (!label) return;
  const original = label.getAttribute('data-original') ?? label.textContent ?? '';
  label.setAttribute('data-original', original);
  label.textContent = text;
  button.classList.add('flashed');
  const win = button.ownerDocument.defaultView;
  win?.setTimeout(() => {
    label.textContent = original;
    button.classList.remove('flashed');
  }, ms);
}
