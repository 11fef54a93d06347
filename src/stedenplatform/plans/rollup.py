"""Roll progress and priority up the plan tree in one pass.

A parent's progress is the weighted mean of its children's progress; items
that were stopped (stopgezet) and items with weight 0 do not count. A parent
is priority when it or any descendant is. A leaf's progress is its own.

>>> rows = [
...     Node(1, None, Decimal(1), "lopend", 0, False, "A"),
...     Node(2, 1, Decimal(1), "lopend", 50, True, "A.1"),
...     Node(3, 1, Decimal(3), "gerealiseerd", 100, False, "A.2"),
... ]
>>> result = compute(rows)
>>> result[1]
(Decimal('87.5'), True, '00000')
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")


@dataclass
class Node:
    id: int
    parent_id: int | None
    weight: Decimal
    status: str
    progress: int
    priority: bool
    code: str
    position: int = 0


def compute(nodes: list[Node]) -> dict[int, tuple[Decimal, bool, str]]:
    """Return {id: (rolled-up progress, effective priority, sort key)}."""
    children: dict[int | None, list[Node]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    for siblings in children.values():
        siblings.sort(key=lambda n: (n.position, natural_key(n.code)))

    result: dict[int, tuple[Decimal, bool, str]] = {}
    # Iterative depth-first walk: plans can be deep and Python's recursion
    # limit is not a planning constraint.
    order: list[tuple[Node, str]] = []
    stack = [
        (node, f"{index:05d}")
        for index, node in reversed(list(enumerate(children.get(None, []))))
    ]
    while stack:
        node, key = stack.pop()
        order.append((node, key))
        kids = children.get(node.id, [])
        for index in range(len(kids) - 1, -1, -1):
            stack.append((kids[index], f"{key}.{index:05d}"))

    for node, key in reversed(order):
        kids = children.get(node.id, [])
        if not kids:
            progress = Decimal(node.progress)
            priority = node.priority
        else:
            total_weight = Decimal(0)
            weighted = Decimal(0)
            priority = node.priority
            for kid in kids:
                kid_progress, kid_priority, _ = result[kid.id]
                priority = priority or kid_priority
                if kid.status == "stopgezet" or kid.weight <= 0:
                    continue
                total_weight += kid.weight
                weighted += kid.weight * kid_progress
            progress = (
                weighted / total_weight if total_weight else Decimal(node.progress)
            )
        result[node.id] = (progress.quantize(ONE_DECIMAL, ROUND_HALF_UP), priority, key)
    return result


def natural_key(code: str) -> list:
    """Sort 'A.10' after 'A.9'."""
    parts = []
    for chunk in code.replace("-", ".").split("."):
        digits = "".join(ch for ch in chunk if ch.isdigit())
        prefix = "".join(ch for ch in chunk if not ch.isdigit())
        parts.append((prefix, int(digits) if digits else -1))
    return parts
