"""An asyncio script: the contract kept with asyncio.run()."""
import asyncio
import json
import sys


async def work(inputs):
    await asyncio.sleep(0.01)
    return {"success": True, "n": len(inputs)}


async def main():
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}
    try:
        result = await asyncio.wait_for(work(inputs), timeout=5)
        print(json.dumps(result))
        return 0
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc), "error_type": type(exc).__name__}))
        return 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
