"""Fixtures for the list I/O tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def write_bytes(tmp_path: Path) -> Callable[..., Path]:
    """Write a file into tmp_path (bytes as they are, text in ``encoding``) and return its path."""

    def write(name: str, data: bytes | str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
        return path

    return write
