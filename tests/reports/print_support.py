"""Render workbooks the way a ministry prints them: LibreOffice to PDF, then poppler's text layer.

`make system-deps` installs libreoffice-calc-nogui, poppler-utils and fonts-liberation2.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

SOFFICE_TIMEOUT = 300


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "нет LibreOffice: выполните make system-deps (ставит libreoffice-calc-nogui)"
    return found


def convert(paths: list[Path], out_dir: Path, to: str = "pdf") -> list[Path]:
    """Convert several files in one LibreOffice start (it is slow to start)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / "lo-profile"
    subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                    "--convert-to", to, "--outdir", str(out_dir), *map(str, paths)],
                   check=True, capture_output=True, timeout=SOFFICE_TIMEOUT)
    results = [out_dir / f"{p.stem}.{to.split(':')[0]}" for p in paths]
    missing = [str(p) for p in results if not p.exists()]
    assert not missing, f"LibreOffice не создал {missing}"
    return results


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(slots=True)
class Page:
    width: float
    height: float
    words: list[Word] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def has(self, phrase: str) -> bool:
        """The phrase is printed whole: its words in order, each the next on its line or
        starting the next line of the same cell (left edge within a few points)."""
        wanted = phrase.split()
        for start, word in enumerate(self.words):
            if word.text != wanted[0]:
                continue
            left, current, ok = word.x0, word, True
            for token in wanted[1:]:
                after = [w for w in self.words if w.text == token and _follows(current, w, left)]
                if not after:
                    ok = False
                    break
                current = after[0]
            if ok:
                return True
        return False


    def joined(self, prefix: str, length: int) -> str:
        """A word starting with `prefix` and the pieces wrapped under it, joined (a long link
        broken over lines), up to `length` characters."""
        for word in self.words:
            if not word.text.startswith(prefix):
                continue
            text, current = word.text, word
            while len(text) < length:
                below = [w for w in self.words if _follows(current, w, word.x0) and w.y0 > current.y0]
                if not below:
                    break
                current = below[0]
                text += current.text
            return text
        return ""

    def line_of(self, word: str) -> list[str]:
        """The words printed on the line of `word` (the first one found), left to right."""
        found = next(w for w in self.words if w.text == word)
        return [w.text for w in sorted(self.words, key=lambda w: w.x0) if abs(w.y0 - found.y0) < 2]

    def y_of(self, phrase: str) -> float:
        first = phrase.split()[0]
        return min((w.y0 for w in self.words if w.text == first), default=-1.0)


def _follows(a: Word, b: Word, left: float) -> bool:
    height = a.y1 - a.y0
    same_line = abs(b.y0 - a.y0) < height * 0.5 and 0 <= b.x0 - a.x1 < height * 1.5
    next_line = 0 < b.y0 - a.y0 < height * 1.8 and abs(b.x0 - left) < 3
    return same_line or next_line


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


def pages(pdf: Path) -> list[Page]:
    """The PDF's pages with their words and boxes (pdftotext -bbox)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    result = []
    for width, height, body in PAGE.findall(out):
        page = Page(float(width), float(height))
        page.words = [Word(html.unescape(t), float(a), float(b), float(c), float(d)) for a, b, c, d, t in WORD.findall(body)]
        result.append(page)
    return result


def fonts(pdf: Path) -> set[str]:
    """Font names embedded in the PDF, subset prefix dropped («LiberationSans-Bold»)."""
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    names = [line.split()[0] for line in out.splitlines()[2:] if line.strip()]
    return {name.split("+", 1)[-1] for name in names}


__all__ = ["convert", "pages", "fonts", "Page", "Word"]
