"""The PDF helper: Albanian text and the project's fonts survive; files and the network don't."""

import re
import shutil
import subprocess

from kvsp.core import pdf
from tests.conftest import require

ALBANIAN = "Vendimi nr. 2, datë 04.03.2022: çështjet e sigurisë në lagjen “Kristoforidhi”"


def _text(data: bytes, tmp_path) -> str:
    require(bool(shutil.which("pdftotext")), "pdftotext not found (apt-get install poppler-utils)")
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _document(body: str, head: str = "") -> str:
    return (
        '<!DOCTYPE html><html lang="sq"><head><meta charset="utf-8">'
        f'<link rel="stylesheet" href="/static/css/pdf.css">{head}</head><body>{body}</body></html>'
    )


def test_albanian_text_and_page_numbers(tmp_path):
    data = pdf.html_to_pdf(_document(f"<h1>{ALBANIAN}</h1>" + "<p>Rresht.</p>" * 80))
    text = _text(data, tmp_path)
    assert ALBANIAN in " ".join(text.split()) or all(word in text for word in ALBANIAN.split())
    numbers = [tuple(map(int, m)) for m in re.findall(r"^\s*(\d+)\s*/\s*(\d+)\s*$", text, re.MULTILINE)]
    pages = len(numbers)
    assert pages >= 2 and numbers == [(n, pages) for n in range(1, pages + 1)]


def test_the_shipped_font_is_embedded(tmp_path):
    require(bool(shutil.which("pdffonts")), "pdffonts not found (apt-get install poppler-utils)")
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf.html_to_pdf(_document("<p>Çfarë u bë?</p>")))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "KVSP-Sans" in fonts  # the @font-face family of static/css/pdf.css, embedded


class SpyFetcher(pdf.StaticOnlyFetcher):
    refused: list[str] = []

    def fetch(self, url, headers=None):
        try:
            return super().fetch(url, headers)
        except ValueError:
            self.refused.append(url)
            raise


HOSTILE = [
    "file:///etc/passwd",
    "http://169.254.169.254/latest/meta-data/",
    "https://169.254.169.254/latest/meta-data/iam/",
    "https://kvsp.pdf.invalid/static/../../../../etc/passwd",
    "ftp://127.0.0.1/secret",
]


def test_files_and_network_addresses_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "StaticOnlyFetcher", SpyFetcher)
    SpyFetcher.refused = []
    body = "".join(
        f'<img src="{url}" alt="x"><a rel="attachment" href="{url}">a</a><object data="{url}"></object>'
        for url in HOSTILE
    )
    head = "".join(
        f'<link rel="stylesheet" href="{url}"><link rel="attachment" href="{url}">' for url in HOSTILE
    )
    head += '<style>@import url("file:///etc/hosts"); body { background: url("file:///etc/shadow"); }</style>'
    data = pdf.html_to_pdf(_document(f"<p>{ALBANIAN}</p>{body}", head))
    text = _text(data, tmp_path)
    assert "root:" not in text and "localhost" not in text
    assert b"root:x:0:0" not in data and b"EmbeddedFile" not in data
    for url in HOSTILE:
        assert any(refused.startswith(url.split("/../")[0]) for refused in SpyFetcher.refused), url


def test_render_pdf_uses_a_template(tmp_path, settings):
    data = pdf.render_pdf("pdf/base.html")
    assert data.startswith(b"%PDF-")
