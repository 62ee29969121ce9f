/** Running totals of what a session spent and what the prompt cache saved, in US dollars. */
export interface SessionTotals {
  readonly costUsd: number;
  readonly savedUsd: number;
  readonly turns: number;
}

/** Folds each turn's price into the session's totals, once per turn even if reported twice. */
export class UsageLedger {
  private readonly perTurn = new Map<string, { costUsd: number; savedUsd: number }>();

  add(turnId: string, price: { readonly costUsd: number; readonly savedUsd: number }): void {
    this.perTurn.set(turnId, { costUsd: price.costUsd, savedUsd: price.savedUsd });
  }

  /** How many prices were added; used to key each request of a turn apart. */
  get size(): number {
    return this.perTurn.size;
  }

  reset(): void {
    this.perTurn.clear();
  }

  get totals(): SessionTotals {
    let costUsd = 0;
    let savedUsd = 0;
    for (const price of this.perTurn.values()) {
      costUsd += price.costUsd;
      savedUsd += price.savedUsd;
    }
    return { costUsd, savedUsd, turns: this.perTurn.size };
  }
}
