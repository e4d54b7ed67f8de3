"""Prints the Python package's verdict on each probe, for tests/schema.rs.

    GDVIZ_SCHEMA=schema.json python check_probes.py probes.json

probes.json is a list of {"name", "value", "surface"}; the output (one JSON list on stdout) has,
per probe, {"ok": true, "value": <as the widget sends it>} or {"ok": false, "message": ...}.
"""

import json
import sys

import gdviz


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        probes = json.load(f)
    out = []
    for p in probes:
        try:
            value = gdviz.check(p["name"], p["value"], p["surface"])
            out.append({"ok": True, "value": value})
        except gdviz.OptionError as e:
            out.append({"ok": False, "message": str(e)})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
