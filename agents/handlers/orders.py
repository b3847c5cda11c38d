"""Order lookups for agents/order_support.yaml, over the JSON store in agents/data/orders.json.

Set ORDERS_STORE to use another file. Order 9999 stands for a backend that hangs, so the
runtime's timeout (3 s in the agent file) can be seen at work.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

_DEFAULT_STORE = Path(__file__).resolve().parent.parent / "data" / "orders.json"
SLOW_ORDER = "9999"


def _orders() -> dict[str, dict[str, object]]:
    store = Path(os.environ.get("ORDERS_STORE", _DEFAULT_STORE))
    with store.open(encoding="utf-8") as handle:
        loaded: dict[str, dict[str, object]] = json.load(handle)
    return loaded


def get_order_status(order_id: str | None = None) -> dict[str, object]:
    """The status and expected delivery date of one order."""
    if not order_id:
        return {"error": "missing_order_id"}
    order_id = "".join(ch for ch in str(order_id) if ch.isdigit())
    if order_id == SLOW_ORDER:
        time.sleep(10)  # a backend that hangs: the runtime must give up first
    order = _orders().get(order_id)
    if order is None:
        return {"error": "not_found", "message": f"I couldn't find an order numbered {order_id}."}
    return {"order_id": order_id, "status": order["status"], "eta_date": order["eta_date"]}
