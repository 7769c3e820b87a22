"""Entry point for ``python -m fupin_desktop``."""
import sys

from fupin_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
