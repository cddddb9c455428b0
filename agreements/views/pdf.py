"""The printable PDF of a version: for those who may read the version, and for anyone when it is
the active memorandum the coordinator published for families."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from agreements import access
from agreements.models import AgreementVersion
from agreements.services import pdf as pdf_services
from sro_program.views_support import requires


def _pdf_response(request, version: AgreementVersion, *, fallback: str, public: bool) -> HttpResponse:
    try:
        pdf = pdf_services.version_pdf_render(version=version)
    except pdf_services.PdfUnavailable as error:
        # A missing system library is the server's state, not the reader's mistake: say so plainly
        # and point to the page that needs no PDF, with 503 so monitoring sees it too.
        return render(
            request,
            "agreements/pdf_unavailable.html",
            {"version": version, "message": str(error), "fallback": fallback},
            status=503,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(f"{version.title} version {version.number}")[:80] or "agreement"
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    patch_cache_control(response, **({"public": True, "max_age": 300} if public else {"private": True}))
    return response


@require_GET
@requires(access.may_view_agreements)
def version_pdf(request, pk: int):
    """The same reader and the same rule as the print page."""
    version = access.version_get_for_user(user=request.user, pk=pk)
    return _pdf_response(
        request, version, fallback=reverse("agreements:version_print", args=[version.pk]), public=False
    )


@login_not_required  # Public on purpose: the PDF of the memorandum the coordinator published.
@require_GET
def agreement_public_pdf(request, pk: int):
    version = access.public_version_get(pk=pk)
    return _pdf_response(
        request, version, fallback=reverse("agreements:agreement_public", args=[pk]), public=True
    )
