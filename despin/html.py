"""HTML input reduced to its main text (trafilatura), so menus and footers are not scored.

Offsets of spans then refer to the extracted text, which the output carries.
"""

from __future__ import annotations

import logging

from .io import InputError

HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def extract_text(html: str, name: str) -> str:
    """The main text of an HTML page; the whole visible text when no main part is found.

    Empty when the page has no text at all (it then scores 0 with no spans).
    """
    import trafilatura

    logging.getLogger("trafilatura").addHandler(logging.NullHandler())
    logging.getLogger("trafilatura").propagate = False
    try:
        text = trafilatura.extract(
            html, favor_recall=True, include_comments=False, include_tables=True
        )
        if text is None:
            text = trafilatura.html2txt(html) or ""
    except Exception as exc:  # noqa: BLE001 - the extractor's parser errors vary by version
        raise InputError(f"{name}: cannot extract text from HTML ({exc})") from None
    return text
