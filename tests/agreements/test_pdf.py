"""The printable PDF of a version: a real, tagged PDF with the text, page numbers and the signature
block; the same readers as the print page; a plain message where the PDF library cannot load."""

import builtins
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import Section, SectionType, SignatureParty
from agreements.services import pdf as pdf_services
from agreements.services.signatures import signature_sign
from agreements.services.versions import agreement_version_draft
from tests.agreements.pdf_text import _objects, flat, pdf_text
from tests.district.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Drawn PDFs are cached by the digest of their HTML: each test draws its own.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def signed_mou(mou, district_admin, supervisor):
    _, version = mou
    signature_sign(
        version=version, signer=district_admin, password=PASSWORD, typed_name="Dana Whitfield",
        typed_title="Superintendent of Schools",
    )  # fmt: skip
    signature_sign(
        version=version, signer=supervisor, password=PASSWORD, typed_name="Robert Kaminski",
        typed_title="Sergeant, School Resource Unit",
    )  # fmt: skip
    version.refresh_from_db()
    return version


def _text(pdf: bytes) -> str:
    return flat(pdf_text(pdf))


def test_the_pdf_holds_the_text_and_the_signature_block(signed_mou):
    pdf = pdf_services.version_pdf_render(version=signed_mou)
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    assert "Memorandum of understanding" in text
    assert "1. Your role" in text and "You are a trusted adult in the school." in text
    assert "2. The bright line" in text and "You do not administer school discipline." in text
    assert "Discipline stays with school administrators." in text
    assert "For the school district" in text and "For the law-enforcement agency" in text
    assert "Dana Whitfield" in text and "Superintendent of Schools" in text
    assert "Robert Kaminski" in text and "Sergeant, School Resource Unit" in text
    assert text.count(signed_mou.checksum()) == 2, "the SHA-256 of the text signed, unbroken, per party"
    assert text.count("Yes: the text above is the text signed.") == 2
    assert "In effect since" in text
    # The PDF prints the district's local date, which differs from UTC's in the evening.
    signed_at = timezone.localtime(signed_mou.signatures.get(party=SignatureParty.DISTRICT).signed_at)
    assert f"{signed_at:%B} {signed_at.day}, {signed_at:%Y}" in text


def test_the_pdf_says_when_the_text_no_longer_matches(signed_mou):
    # A change behind the application's back (the services refuse to edit a published version).
    Section.objects.filter(version=signed_mou, position=1).update(text="Something else entirely.")
    text = _text(pdf_services.version_pdf_render(version=signed_mou))
    assert "Something else entirely." in text
    assert text.count("No: the text changed since signing.") == 2
    assert "Yes: the text above" not in text


def test_an_unsigned_memorandum_shows_each_missing_signature(mou):
    text = _text(pdf_services.version_pdf_render(version=mou[1]))
    assert "Not yet in effect" in text
    assert text.count("Not signed yet.") == 2


def test_a_role_statement_has_no_signature_block(sro_statement):
    text = _text(pdf_services.version_pdf_render(version=sro_statement[1]))
    assert "SRO role and expectations" in text and "Signatures" not in text


def test_the_pdf_numbers_its_pages_and_is_tagged_for_screen_readers(mou):
    version = mou[1]
    long_text = "\n\n".join(f"Paragraph {n} of a long section." for n in range(120))
    Section.objects.filter(version=version, position=1).update(text=long_text)
    pdf = pdf_services.version_pdf_render(version=version)
    text = pdf_text(pdf)
    pages = re.findall(r"Page (\d+) of (\d+)", text)
    assert len(pages) >= 2 and pages[0] == ("1", pages[0][1])
    assert [int(n) for n, _ in pages] == list(range(1, len(pages) + 1))
    assert {total for _, total in pages} == {str(len(pages))}
    streams, dictionaries = _objects(pdf)
    assert any(b"/StructTreeRoot" in d for d in dictionaries), "tagged: a structure tree"
    assert any(b"/Lang (en)" in d for d in dictionaries)
    assert any(b'pdfuaid:part="1"' in data for data in streams.values()), "PDF/UA-1"
    assert "Memorandum of understanding, version 1" in text, "the running header"


def test_the_fetcher_reads_only_the_static_folder(tmp_path):
    import weasyprint

    fetcher = pdf_services._local_fetcher(weasyprint)
    css = (pdf_services.PDF_ASSETS / "css" / "agreement-pdf.css").as_uri()
    response = fetcher.fetch(css)
    assert b"@page" in response.read()
    response.close()
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    for url in (
        "http://example.org/logo.png",
        "https://example.org/style.css",
        "ftp://example.org/x",
        "data:text/plain,hello",
        outside.as_uri(),
        "file:///etc/passwd",
        (pdf_services.PDF_ASSETS / ".." / "manage.py").as_uri(),
    ):
        with pytest.raises(ValueError, match="Refused"):
            fetcher.fetch(url)


def test_drawing_never_reaches_the_network(mou, monkeypatch):
    import socket

    attempts = []

    def refuse(*args, **kwargs):
        # WeasyPrint turns a fetcher's error into a warning: record the attempt, as it would be lost.
        attempts.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    html = pdf_services.version_html(version=mou[1]).replace(
        "</main>", '<img src="http://example.org/tracker.png" alt=""></main>'
    )
    monkeypatch.setattr(pdf_services, "version_html", lambda *, version: html)
    assert pdf_services.version_pdf_render(version=mou[1]).startswith(b"%PDF-")
    assert attempts == []


# --- The views ----------------------------------------------------------------------------------


def test_the_pdf_view_serves_the_pdf_inline(verified_client, officer, signed_mou):
    verified_client.login(officer.user)
    url = reverse("agreements:version_pdf", args=[signed_mou.pk])
    with CaptureQueriesContext(connection) as few:
        response = verified_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="memorandum-of-understanding-version-1.pdf"'
    assert "private" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF-")
    # Ten times the sections: the same queries (sections and signatures are read in one go each).
    last = signed_mou.sections.count()
    Section.objects.bulk_create(
        Section(
            version=signed_mou,
            position=last + n,
            heading=f"Extra {n}",
            text="More.",
            section_type=SectionType.OTHER,
        )
        for n in range(1, 21)
    )
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        assert verified_client.get(url).status_code == 200
    assert len(many) == len(few) <= 14


def test_the_version_and_print_pages_link_the_pdf(verified_client, officer, mou):
    verified_client.login(officer.user)
    url = reverse("agreements:version_pdf", args=[mou[1].pk])
    for page in ("agreements:version_detail", "agreements:version_print"):
        assert f'href="{url}"' in verified_client.get(reverse(page, args=[mou[1].pk])).content.decode()


def test_the_public_pdf_is_open_only_for_a_published_memorandum(client, mou):
    agreement, _ = mou
    url = reverse("agreements:agreement_public_pdf", args=[agreement.pk])
    assert client.get(url).status_code == 404
    agreement.is_public = True
    agreement.save()
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert "public" in response["Cache-Control"]
    page = client.get(reverse("agreements:agreement_public", args=[agreement.pk])).content.decode()
    assert f'href="{url}"' in page


def test_the_public_pdf_is_of_the_active_version_only(client, coordinator, mou):
    agreement, _ = mou
    agreement.is_public = True
    agreement.save()
    draft = agreement_version_draft(agreement=agreement, created_by=coordinator)
    draft.sections.filter(position=1).update(text="A draft nobody adopted.")
    text = _text(client.get(reverse("agreements:agreement_public_pdf", args=[agreement.pk])).content)
    assert "You are a trusted adult in the school." in text and "A draft nobody adopted." not in text


def test_the_public_pdf_of_a_role_statement_is_404(client, sro_statement):
    # Only a memorandum is ever public; a role statement cannot be.
    url = reverse("agreements:agreement_public_pdf", args=[sro_statement[0].pk])
    assert client.get(url).status_code == 404


# --- Without the PDF library --------------------------------------------------------------------


@pytest.fixture(params=["not installed", "no pango"])
def without_weasyprint(request, monkeypatch):
    """The import fails as it does on a machine without the package (ImportError) or without Pango
    (WeasyPrint's cffi raises OSError when it cannot load the library)."""
    real_import = builtins.__import__

    def failing_import(name, *args, **kwargs):
        if name == "weasyprint" or name.startswith("weasyprint."):
            if request.param == "not installed":
                raise ImportError("No module named 'weasyprint'")
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", failing_import)


def test_the_service_says_the_pdf_cannot_be_made(without_weasyprint, mou):
    with pytest.raises(pdf_services.PdfUnavailable, match="Pango"):
        pdf_services.version_pdf_render(version=mou[1])


def test_the_pdf_view_shows_a_message_not_a_server_error(without_weasyprint, verified_client, officer, mou):
    verified_client.login(officer.user)
    response = verified_client.get(reverse("agreements:version_pdf", args=[mou[1].pk]))
    assert response.status_code == 503
    page = response.content.decode()
    assert "The PDF is not available" in page and "Pango" in page
    assert f'href="{reverse("agreements:version_print", args=[mou[1].pk])}"' in page


def test_the_public_pdf_shows_the_message_too(without_weasyprint, client, mou):
    agreement, _ = mou
    agreement.is_public = True
    agreement.save()
    response = client.get(reverse("agreements:agreement_public_pdf", args=[agreement.pk]))
    assert response.status_code == 503
    page = response.content.decode()
    assert "The PDF is not available" in page
    assert f'href="{reverse("agreements:agreement_public", args=[agreement.pk])}"' in page
