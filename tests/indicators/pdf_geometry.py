"""Read words back from a PDF with their boxes on the page (pdfplumber, over pdfminer), to check layout."""

import io
from dataclasses import dataclass

import pdfplumber


@dataclass
class Word:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    page_width: float
    page_height: float

    @property
    def outside(self) -> bool:
        tolerance = 0.5
        return (
            self.x0 < -tolerance
            or self.x1 > self.page_width + tolerance
            or self.top < -tolerance
            or self.bottom > self.page_height + tolerance
        )


def words(data: bytes) -> list[Word]:
    out: list[Word] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            # Every character, even those drawn off the page (pdfplumber keeps them in page.chars).
            for w in page.extract_words(keep_blank_chars=False, use_text_flow=True):
                out.append(
                    Word(number, w["text"], w["x0"], w["x1"], w["top"], w["bottom"], page.width, page.height)
                )
    return out


def visual_lines(data: bytes, page: int = 1) -> list[str]:
    """The page's lines as drawn, each read left to right by the position of its characters (so a
    right-to-left line reads mirrored, and a number inside it must read in its own order)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        chars = pdf.pages[page - 1].chars
    by_baseline: dict[int, list[dict]] = {}
    for char in chars:  # one line = one baseline (fonts of two scripts have different tops)
        by_baseline.setdefault(round(char["matrix"][5]), []).append(char)
    return [
        "".join(c["text"] for c in sorted(line, key=lambda c: c["x0"]))
        for _y, line in sorted(by_baseline.items(), reverse=True)
    ]
