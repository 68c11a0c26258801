"""The fuzz tests' data: the `scene` fixture (tests/fuzz/scene.py)."""

from tests.fuzz.scene import scene  # noqa: F401
