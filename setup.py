"""Only what pyproject.toml cannot say: the top-level ``resources/`` and ``i18n/`` folders ship inside the package.

A wheel then holds ``fupin_desktop/resources/`` (font, icons) and ``fupin_desktop/i18n/*.qm``, so a normal
``pip install .`` finds them (``paths.resource_dir()``). The folders stay where they are in the checkout (editable
installs and the PyInstaller spec read them there). They are data, not code: ``i18n/build.py`` is a developer tool
and is left out of the wheel. Everything else is declared in pyproject.toml.
"""
from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

DATA_PACKAGES = {"fupin_desktop.resources": "resources", "fupin_desktop.i18n": "i18n"}


class BuildPy(build_py):
    def find_package_modules(self, package, package_dir):
        if package in DATA_PACKAGES:
            return []  # data only
        return super().find_package_modules(package, package_dir)


setup(
    packages=find_namespace_packages(include=["fupin_desktop*"]) + list(DATA_PACKAGES),
    package_dir=DATA_PACKAGES,
    cmdclass={"build_py": BuildPy},
)
