/** A listener registration that can be undone. Shaped like vscode.Disposable so the shell can adopt it. */
export interface Disposable {
  dispose(): void;
}

/** A typed event: call it with a listener, get a Disposable back (the vscode.Event shape). */
export type Event<T> = (listener: (value: T) => void) => Disposable;

/**
 * A minimal event emitter for the core, which cannot use vscode.EventEmitter.
 * A listener that throws does not stop the others from hearing the event.
 */
export class Emitter<T> implements Disposable {
  private listeners = new Set<(value: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        console.error('Claude Studio: an event listener failed', error);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
