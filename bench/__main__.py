"""`make bench`: run every benchmark module bench/<feature>_*.py (each has a main()), or those named.

    python -m bench                 # all
    python -m bench calendar_week   # one
"""
import importlib
import pkgutil
import sys
from pathlib import Path

# The app's packages in the order create_app loads them: a bench that imports meetings.dossiers first
# would run into the cycle dossiers.api -> api -> auth -> offline -> dossiers.api.
import meetings.api  # noqa: E402,F401


def main(argv: list[str]) -> int:
    names = argv or sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])
                           if not m.name.startswith("_") and m.name != "common")
    for name in names:
        print(f"\n=== bench/{name}.py ===", flush=True)
        importlib.import_module(f"bench.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
