"""Totals an order: the schema beside it was written before discounts and quantities."""
import json
import sys


def total(order):
    amount = 0.0
    for item in order["items"]:
        amount += item["price"] * item.get("qty", 1)  # expect: SCR107
    if "discount" in order:  # expect: SCR107
        amount -= float(order["discount"])
    return round(amount, 2)


def main():
    try:
        order = json.loads(sys.stdin.read() or "{}")
        result = {"success": True, "currency": order.get("currency", "EUR"), "total": total(order)}
    except (KeyError, TypeError, ValueError) as exc:
        print(json.dumps({"success": False, "error": f"bad order: {exc}"}))
        sys.exit(1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
