"""The identification engine's compiled loops (gmmp/identification/engine/_kernel.pyx); the rest of
the project's packaging is in pyproject.toml."""

from Cython.Build import cythonize
from setuptools import Extension, setup

setup(
    ext_modules=cythonize(
        [
            Extension(
                "gmmp.identification.engine._kernel",
                ["gmmp/identification/engine/_kernel.pyx"],
                extra_compile_args=["-O2"],
            )
        ],
        language_level=3,
    )
)
