"""A pandas ETL step: CSV in, JSON summary out."""
import json
import sys

import pandas as pd


def summarise(inputs):
    frame = pd.read_csv(inputs["input_file"])
    frame = frame.dropna()
    frame.to_csv(inputs.get("output_file", "output/clean.csv"), index=False)
    return {"success": True, "rows": int(frame.shape[0]), "columns": list(frame.columns)}


if __name__ == "__main__":
    try:
        inputs = json.loads(sys.stdin.read() or "{}")
        print(json.dumps(summarise(inputs)))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc), "error_type": type(exc).__name__}))
        sys.exit(1)
