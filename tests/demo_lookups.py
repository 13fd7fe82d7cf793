"""Lookups into the demo that the tests of its pages share: its people's password, a small
PDF to attach as evidence, a unit or criterion by code, the self-assessment page."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scoring.models import Criterion
from units.models import Unit

PASSWORD = "demo-pass-123"  # what the `demo` fixture seeds every demo user with
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def nghean():
    """Nghệ An's fire police: the unit of the demo's officer `pccc_nghean`."""
    return Unit.objects.get(code="pccc-nghean")


def crit(compact, code):
    return Criterion.objects.get(compact=compact, code=code)


def self_url(compact):
    return reverse("scoring:self", args=[compact.pk])


def pdfs(count, name="minh-chung"):
    return [SimpleUploadedFile(f"{name}-{i}.pdf", PDF, "application/pdf") for i in range(count)]
