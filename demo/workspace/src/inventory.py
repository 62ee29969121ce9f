"""Stock levels for a small shop, with reorder points and a restock plan."""
from dataclasses import dataclass, field


@dataclass
class Item:
    sku: str
    name: str
    on_hand: int
    reorder_point: int
    reorder_qty: int
    unit_cost: float


@dataclass
class Inventory:
    items: dict[str, Item] = field(default_factory=dict)

    def add(self, item: Item) -> None:
        if item.sku in self.items:
            raise ValueError(f"duplicate SKU {item.sku}")
        self.items[item.sku] = item

    def sell(self, sku: str, qty: int) -> None:
        item = self.items[sku]
        if qty > item.on_hand:
            raise ValueError(f"only {item.on_hand} of {item.name} left")
        item.on_hand -= qty

    def restock_plan(self) -> list[tuple[str, int, float]]:
        """Items at or below their reorder point, with the quantity and cost to reorder."""
        plan = []
        for item in self.items.values():
            if item.on_hand <= item.reorder_point:
                plan.append((item.sku, item.reorder_qty, item.reorder_qty * item.unit_cost))
        return sorted(plan, key=lambda row: row[2], reverse=True)


if __name__ == "__main__":
    shop = Inventory()
    shop.add(Item("A-1", "Notebook", 12, 10, 50, 1.20))
    shop.add(Item("B-7", "Fountain pen", 3, 5, 20, 8.50))
    shop.sell("A-1", 4)
    for sku, qty, cost in shop.restock_plan():
        print(f"{sku}: order {qty} for ${cost:.2f}")
