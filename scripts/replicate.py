#!/usr/bin/env python
"""Rebuild results/ (REPORT.md, CSV tables, PNG figures): same as ``ggtext replicate``.

Usage: python scripts/replicate.py [--data DIR] [--out results] [--limit N] [--n-process 2]
The data directory defaults to $GGTEXT_DATA (``make replicate`` sets it to ../shared).
"""

import sys

from ggtext.cli import main

if __name__ == "__main__":
    main(["replicate", *sys.argv[1:]], prog_name="replicate.py")
