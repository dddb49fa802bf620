"""Browser test support: a ``streamlit run`` server on a free loopback port and Debian's Chromium."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from commun.config import CHROMIUM_FLAGS, ROOT  # noqa: F401 (CHROMIUM_FLAGS re-exported)

CHROMIUM = os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"


def chromium_or_skip() -> str:
    """Path of Chromium; skip the test when absent, but fail in CI where it must be installed."""
    if Path(CHROMIUM).is_file() or shutil.which(CHROMIUM):
        return CHROMIUM
    reason = f"Chromium introuvable ({CHROMIUM}) : installer le paquet Debian « chromium »"
    if os.environ.get("CI"):
        pytest.fail(reason + " (obligatoire en CI)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StreamlitServer:
    """``streamlit run dashboard.py`` in a subprocess, stopped on exit."""

    def __init__(self, db_path: Path, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(os.environ.get("TMPDIR", "/tmp")) / f"streamlit-{self.port}.log"
        env = {**os.environ, "ATLAS_DB": str(db_path), "ATLAS_REGION": "52", "PYTHONPATH": str(ROOT)}
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
                    "--server.port", str(self.port), "--server.address", "127.0.0.1",
                    "--server.headless", "true", "--browser.gatherUsageStats", "false",
                ],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self._wait_ready()

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit s'est arrêté : {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"streamlit ne répond pas après {timeout} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


# Contrast audit of the visible text of a page (WCAG 2.1, 1.4.3: at least 4.5:1). The background
# of a text is the composition of the translucent backgrounds of its ancestors on white. Skipped:
# figures (svg/canvas: their texts are drawn on known palettes, checked in the unit tests),
# dataframes (canvas-drawn), Material icons (decorative glyphs, non-text contrast) and the slider
# thumb value (drawn outside the thumb whose colour it shares).
CONTRASTE_JS = r"""
() => {
  function parse(c) { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null; const p = m[1].split(',').map(Number); return {r:p[0], g:p[1], b:p[2], a: p.length > 3 ? p[3] : 1}; }
  function lum(c) { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126*f(c.r) + 0.7152*f(c.g) + 0.0722*f(c.b); }
  function bg(el) { let layers = []; for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; } } let out = {r:255,g:255,b:255}; for (const c of layers.reverse()) { out = {r: c.r*c.a + out.r*(1-c.a), g: c.g*c.a + out.g*(1-c.a), b: c.b*c.a + out.b*(1-c.a)}; } return out; }
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const t = walker.currentNode; const el = t.parentElement;
    if (!el || seen.has(el) || !t.textContent.trim()) continue; seen.add(el);
    if (el.closest('svg, canvas, [data-testid="stDataFrame"], [data-testid="stIconMaterial"], [data-testid="stSliderThumbValue"]')) continue;
    const r = el.getBoundingClientRect(); if (r.width === 0 || r.height === 0) continue;
    const s = getComputedStyle(el); if (s.visibility === 'hidden' || s.display === 'none') continue;
    const fg = parse(s.color); if (!fg) continue;
    const b = bg(el); let f = fg; if (fg.a < 1) f = {r: fg.r*fg.a + b.r*(1-fg.a), g: fg.g*fg.a + b.g*(1-fg.a), b: fg.b*fg.a + b.b*(1-fg.a)};
    const l1 = lum(f), l2 = lum(b); const ratio = (Math.max(l1,l2)+0.05)/(Math.min(l1,l2)+0.05);
    if (ratio < 4.5) bad.push(`${ratio.toFixed(2)}:1 ${s.color} sur rgb(${b.r|0},${b.g|0},${b.b|0}) (${el.closest('[data-testid]')?.dataset.testid}) « ${t.textContent.trim().slice(0,50)} »`);
  }
  return bad;
}
"""


# Numbers of a page's visible text that a French reader would stumble on.
_NOMBRE_NU = re.compile(r"(?<![\d\w,.\u00a0\u202f/:#=-])(\d{4,})(?![\d\w,.])")
# codes are written without separators: « (49007) », « commune 49092 », « code=44109 », SIREN
_AVANT_UN_CODE = re.compile(r"(\(|\bcommune |\bcode |\bsiren |\bepci |\biris )$", re.IGNORECASE)
_DATE_ISO = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b")
_TIRET_MOINS = re.compile(r"(?<![\w)\]])-\d")


def fautes_de_chiffres(texte: str) -> list[str]:
    """Unformatted numbers in a visible text, each with its context.

    A count of 1 000 or more without its thousands separator (years and codes aside), an ISO
    date or month (« 2026-12-01 », « 2024-01 ») and a hyphen used as a minus sign (« -16,4 % »).
    """
    fautes = []
    for m in _NOMBRE_NU.finditer(texte):
        nombre = int(m.group(1))
        if 1900 <= nombre <= 2100 or _AVANT_UN_CODE.search(texte[max(0, m.start() - 12) : m.start()]):
            continue
        fautes.append(f"nombre sans séparateur : « {texte[max(0, m.start() - 30) : m.end() + 10]} »")
    for motif, nom in ((_DATE_ISO, "date ISO"), (_TIRET_MOINS, "trait d'union pour moins")):
        fautes += [f"{nom} : « {texte[max(0, m.start() - 30) : m.end() + 10]} »" for m in motif.finditer(texte)]
    return [f.replace("\n", " ⏎ ") for f in fautes]
