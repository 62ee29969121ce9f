import type { Disposable } from '../util/emitter';

/**
 * Keeps a subscription alive only while a view is open: `subscribe` runs when the view opens and
 * its disposable is disposed when it closes, so with no chat view nothing listens and nothing runs.
 */
export class ViewGate implements Disposable {
  private active: Disposable | undefined;

  constructor(private readonly subscribe: () => Disposable) {}

  get isActive(): boolean {
    return this.active !== undefined;
  }

  setOpen(open: boolean): void {
    if (open && this.active === undefined) this.active = this.subscribe();
    else if (!open && this.active !== undefined) {
      this.active.dispose();
      this.active = undefined;
    }
  }

  dispose(): void {
    this.setOpen(false);
  }
}
