"""Headless Chromium (Debian's `chromium` package): screenshots of the pages we write, and the
flags the browser tests start it with.

Only the browser binary is needed for a screenshot (`chromium --headless --screenshot`); the
tests drive it through `chromedriver` with selenium. Nothing is downloaded: without Debian's
`chromium` (and `chromium-driver`) a screenshot says so and the browser tests skip.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

INSTALL_HINT = "apt-get install chromium chromium-driver"
# Headless, no sandbox (root in a container), and no traffic of its own: no network but the page.
CHROMIUM_FLAGS: tuple[str, ...] = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
)
SCREENSHOT_SIZE = (1280, 1600)


class ChromiumMissing(RuntimeError):
    """No chromium binary on PATH."""


def chromium_path() -> str | None:
    return shutil.which("chromium")


def chromedriver_path() -> str | None:
    return shutil.which("chromedriver")


def screenshot(page: str | Path, png: str | Path, size: tuple[int, int] = SCREENSHOT_SIZE,
               timeout: float = 120) -> Path:
    """A PNG of the top `size` pixels of a local HTML page, after its scripts ran (up to 3 s of
    virtual time). ChromiumMissing without the browser; RuntimeError when it writes no image."""
    chromium = chromium_path()
    if chromium is None:
        raise ChromiumMissing(f"chromium not installed: {INSTALL_HINT}")
    page, png = Path(page).resolve(), Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    png.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        result = subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}",
             "--virtual-time-budget=3000", f"--screenshot={png}", page.as_uri()],
            capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if not png.exists():
        raise RuntimeError(f"chromium wrote no screenshot (exit {result.returncode}): {result.stderr.strip()[-500:]}")
    return png
