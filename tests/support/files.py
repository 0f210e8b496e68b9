"""Look at folders the way a test compares them before and after a command."""

import hashlib
from pathlib import Path


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` by its path relative to it, with the SHA-256 digest of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
