"""The printable PDF of a version, with its signature block, drawn by WeasyPrint from a template.

WeasyPrint needs Pango from the operating system (Debian: libpango-1.0-0, libpangoft2-1.0-0 and a
font such as fonts-dejavu-core). It is imported here, when a PDF is asked for, and nowhere else: a
machine without those libraries still serves every other page, and this one says why it cannot.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string

from agreements.models import AgreementVersion, SignatureParty
from agreements.selectors import versions as selectors

logger = logging.getLogger(__name__)

# The stylesheet and anything else the template links is read from here, relative to base_url.
PDF_ASSETS = Path(settings.BASE_DIR) / "static"
# A version's PDF changes only when its HTML does; keyed by a digest of that HTML, the same PDF is
# drawn once however often it is opened (drawing takes a good part of a second of CPU).
CACHE_SECONDS = 60 * 60


class PdfUnavailable(Exception):
    """WeasyPrint or the system libraries it draws with (Pango) are missing on this machine."""


def _local_fetcher(weasyprint):
    """A fetcher that reads files under PDF_ASSETS and refuses anything else: the PDF never reaches
    the network, and a link in the text cannot make the server read other files."""

    class LocalFetcher(weasyprint.URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                from urllib.parse import unquote, urlsplit

                path = Path(unquote(urlsplit(url).path)).resolve()
                if path.is_relative_to(PDF_ASSETS.resolve()) and path.is_file():
                    return super().fetch(url, headers)
            raise ValueError(f"Refused to fetch {url}: the PDF reads only its own static files.")

    return LocalFetcher(allowed_protocols=["file"], allow_redirects=False)


def _weasyprint():
    try:
        import weasyprint
    except (ImportError, OSError) as error:
        # OSError: the package is installed but cannot load Pango (cffi's dlopen fails).
        logger.warning("PDF unavailable: %s", error)
        raise PdfUnavailable(
            "PDFs cannot be made on this server: the PDF library or the system's text-drawing "
            "libraries (Pango) are not installed. Use the print page and your browser's Print command."
        ) from error
    return weasyprint


def version_html(*, version: AgreementVersion) -> str:
    """The HTML the PDF is drawn from: the version's text and its signature block."""
    version = selectors.version_with_sections(version=version)
    checks = {check.signature.party: check for check in selectors.signature_checks(version=version)}
    return render_to_string(
        "agreements/version_pdf.html",
        {
            "agreement": version.agreement,
            "version": version,
            # Both parties, signed or not: a missing signature shows as missing.
            "parties": [(party.label, checks.get(party)) for party in SignatureParty],
        },
    )


def version_pdf_render(*, version: AgreementVersion) -> bytes:
    """The version as a tagged PDF (PDF/UA-1) with page numbers and its signature block."""
    html = version_html(version=version)
    key = "agreements:pdf:" + hashlib.sha256(html.encode()).hexdigest()
    if (pdf := cache.get(key)) is not None:
        return pdf
    weasyprint = _weasyprint()
    pdf = weasyprint.HTML(
        string=html, base_url=PDF_ASSETS.as_uri() + "/", url_fetcher=_local_fetcher(weasyprint)
    ).write_pdf(pdf_variant="pdf/ua-1")
    cache.set(key, pdf, CACHE_SECONDS)
    return pdf


def pdf_available() -> bool:
    """Whether this machine can draw PDFs (WeasyPrint and Pango load), without drawing one."""
    try:
        _weasyprint()
    except PdfUnavailable:
        return False
    return True


def html_to_pdf(*, html: str) -> bytes:
    """Any page of the project's own HTML as a tagged PDF (PDF/UA-1), reading only local static files.

    The annual program report draws its PDF through here, so both PDFs keep one fetcher and one
    way of saying that the libraries are missing (PdfUnavailable).
    """
    weasyprint = _weasyprint()
    return weasyprint.HTML(
        string=html, base_url=PDF_ASSETS.as_uri() + "/", url_fetcher=_local_fetcher(weasyprint)
    ).write_pdf(pdf_variant="pdf/ua-1")
