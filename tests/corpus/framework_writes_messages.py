"""A data extractor on a pipeline framework: its settings come from a file named on the
command line, and each `singer.write_*` call prints one JSON message on stdout, so the
script writes JSON without a print of its own."""
import argparse
import json

import singer

SCHEMA = {"type": "object", "properties": {"day": {"type": "string"}}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    options = parser.parse_args()
    try:
        with open(options.config, encoding="utf-8") as handle:
            config = json.load(handle)
    except (OSError, ValueError) as exc:
        singer.write_state({"error": str(exc)})
        raise SystemExit(1) from exc
    singer.write_schema("days", SCHEMA, ["day"])
    singer.write_records("days", [{"day": day} for day in config.get("days", [])])
    singer.write_state({"last": config.get("days", [""])[-1:]})


if __name__ == "__main__":  # expect: SCR101
    main()
