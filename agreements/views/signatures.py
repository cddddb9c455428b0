"""Signing a memorandum: password, typed name and title; only the party's own signatory may."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from agreements import access
from agreements.forms import SignatureForm
from agreements.selectors import versions as selectors
from agreements.services import signatures as services
from sro_program.views_support import posted, requires, service_call


def _may_sign_anything(user) -> bool:
    return user.has_perm("agreements.add_signature")


@require_http_methods(["GET", "POST"])
@requires(_may_sign_anything)
def version_sign(request, pk: int):
    version = access.version_get_for_user(user=request.user, pk=pk)
    party = access.party_for_signer(user=request.user, version=version)
    if party is None:
        raise PermissionDenied
    form = SignatureForm(posted(request), initial={"typed_name": request.user.get_full_name()})
    if request.method == "POST" and form.is_valid():
        data = {key: form.cleaned_data[key] for key in ("password", "typed_name", "typed_title")}
        signature = service_call(
            request, form, services.signature_sign, version=version, signer=request.user, **data
        )
        if signature is not None:
            messages.success(request, f"You signed version {version.number} for the {party.label.lower()}.")
            return redirect("agreements:version_detail", version.pk)
    version = selectors.version_with_sections(version=version)
    return render(
        request,
        "agreements/version_sign.html",
        {"version": version, "agreement": version.agreement, "party": party, "form": form},
    )
