"""setup.py - records which sitrep checkout the package was installed from
(sitrep/_repo.py in the built package), so that an installed `sitrep` finds
that checkout's build/libsitrep.so. Metadata lives in pyproject.toml."""
import os

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


class BuildPy(build_py):
    """build_py that also writes sitrep/_repo.py (REPO = the checkout)."""

    def run(self):
        super().run()
        if os.path.exists(os.path.join(REPO, "include", "sitrep.h")):
            target = os.path.join(self.build_lib, "sitrep", "_repo.py")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as f:
                f.write('"""Written at install time: the sitrep checkout this package came from."""\n')
                f.write(f"REPO = {REPO!r}\n")


setup(cmdclass={"build_py": BuildPy})
