import factory
from django.utils import timezone

from outbox.models import OutboundEmail


class OutboundEmailFactory(factory.django.DjangoModelFactory):
    """A due email, written straight to the table (no send task queued)."""

    class Meta:
        model = OutboundEmail

    key = factory.Sequence(lambda n: f"test:{n}")
    recipients = factory.LazyFunction(lambda: ["principal@district.example"])
    subject = "Agreement ready to sign"
    body = "Please sign the agreement."
    next_attempt_at = factory.LazyFunction(timezone.now)
