"""fupin_desktop — 驻村帮扶工作台."""

# The one place the version lives: packaging, 关于 and exports read it from here.
__version__ = "0.1.0"
