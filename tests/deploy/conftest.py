"""The deployment tests' stack: the `stack` fixture (tests/deploy/stack.py)."""

from tests.deploy.stack import stack  # noqa: F401
