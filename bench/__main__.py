"""`python -m bench <name> [options]` runs bench/<name>.py; `python -m bench` lists them."""

import importlib
import os
import pkgutil
import sys
from pathlib import Path


def main() -> None:
    names = sorted(
        m.name
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if not m.name.startswith("_")
    )
    if len(sys.argv) < 2 or sys.argv[1] not in names:
        print("usage: python -m bench <name> [options]\n\nbenchmarks: " + ", ".join(names))
        sys.exit(2)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    module = importlib.import_module(f"bench.{sys.argv[1]}")
    module.main(sys.argv[2:])


if __name__ == "__main__":
    main()
