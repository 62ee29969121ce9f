import { sumPrices, type Price } from '../anthropic/price';

/** Running totals of what a session spent and what the prompt cache saved, in US dollars. */
export interface SessionTotals extends Price {
  readonly turns: number;
}

/** Folds each turn's price into the session's totals, once per turn even if reported twice. */
export class UsageLedger {
  private readonly perTurn = new Map<string, Price>();

  add(turnId: string, price: Price): void {
    this.perTurn.set(turnId, price);
  }

  /** How many prices were added; used to key each request of a turn apart. */
  get size(): number {
    return this.perTurn.size;
  }

  reset(): void {
    this.perTurn.clear();
  }

  /** The sum; partial (and naming the models) when some turn had no known price. */
  get totals(): SessionTotals {
    return { ...sumPrices(this.perTurn.values()), turns: this.perTurn.size };
  }
}
