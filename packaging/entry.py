"""PyInstaller entry point: the same main() as the console script ``fupin-desktop``."""
import multiprocessing
import sys

from fupin_desktop.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
