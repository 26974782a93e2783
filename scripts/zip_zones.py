"""Write revloop/processors/zip_zones.txt (ZIP code -> time zone) from the installed `zipcodes`
package: run after upgrading it (tests/unit/test_zip_zones.py fails until then)."""
from __future__ import annotations

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from revloop.processors import local_time  # noqa: E402


def main() -> int:
    table = local_time.zip_zones_of_package()
    path = os.path.join(ROOT, "revloop", "processors", local_time.ZIP_ZONES_FILE)
    with open(path, "w", encoding="ascii", newline="\n") as fh:
        fh.write(local_time.zip_zones_text(table))
    print(f"{path}: {len(table):,} ZIP codes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
