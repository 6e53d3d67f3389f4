from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus" / "real"


def shared_file(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present (tests read ../shared beside the checkout)")
    return path


@pytest.fixture
def seed():
    def find(prefix: str) -> Path:
        folder = shared_file("seeds")
        matches = sorted(folder.glob(f"{prefix}_*.txt"))
        assert matches, f"no seed {prefix} in {folder}"
        return matches[0]

    return find
