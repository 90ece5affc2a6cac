"""PDFs are written once per content, then read back from the charts cache."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from peaceworks.core.documents import cached_pdf, write_pdf

if TYPE_CHECKING:
    import weasyprint  # imported by the fixture: half a second of CPU at collection otherwise

PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
    "<body><h1>{title}</h1><p>Minutes.</p></body></html>"
)


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The titles of the pages WeasyPrint was asked to lay out (it still lays them out)."""
    import weasyprint

    calls: list[str] = []
    write = weasyprint.HTML.write_pdf

    def counting(self: weasyprint.HTML, *args: Any, **kwargs: Any) -> Any:
        calls.append(self.etree_element.findtext("head/title") or "")
        return write(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", counting)
    return calls


def test_a_pdf_is_written_once_then_read_back_with_the_same_bytes(written: list[str]) -> None:
    page = PAGE.format(title="Kept report")
    first = cached_pdf(page, base_url="https://example.org/")
    again = cached_pdf(page, base_url="https://example.org/")
    assert first == again
    assert first.startswith(b"%PDF-")
    assert written == ["Kept report"]
    # what is read back is what WeasyPrint writes for that page
    assert write_pdf(page, base_url="https://example.org/") == first


def test_a_changed_page_or_address_is_written_again(written: list[str]) -> None:
    cached_pdf(PAGE.format(title="Report A"))
    cached_pdf(PAGE.format(title="Report B"))
    cached_pdf(PAGE.format(title="Report B"), base_url="https://example.org/")
    assert written == ["Report A", "Report B", "Report B"]
