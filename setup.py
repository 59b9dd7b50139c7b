"""For `scrapyd-deploy`, which builds the egg it deploys with `python setup.py bdist_egg`.

Everything about the package is in pyproject.toml; `pip install` does not need this file.
"""

from setuptools import setup

setup()
