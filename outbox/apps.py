from django.apps import AppConfig
from django.conf import settings
from django.core import checks

# A send may make several SMTP calls, each bounded by EMAIL_TIMEOUT; the claim must outlast them all,
# or a slow but live worker would have its claim released and the email sent a second time.
CLAIM_TIMEOUT_PER_EMAIL_TIMEOUT = 4


def claim_timeout_check(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """The outbox's claim timeout is well above the SMTP timeout, which must be set."""
    email_timeout = settings.EMAIL_TIMEOUT
    claim_timeout = settings.OUTBOX_CLAIM_TIMEOUT_SECONDS
    if email_timeout is None or claim_timeout < CLAIM_TIMEOUT_PER_EMAIL_TIMEOUT * email_timeout:
        return [
            checks.Error(
                f"OUTBOX_CLAIM_TIMEOUT_SECONDS ({claim_timeout}) must be at least "
                f"{CLAIM_TIMEOUT_PER_EMAIL_TIMEOUT} times EMAIL_TIMEOUT ({email_timeout}), "
                "which must be set.",
                hint="A claim released while its worker is still sending lets the email go twice.",
                id="outbox.E001",
            )
        ]
    return []


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = "Outbox"

    def ready(self) -> None:
        checks.register(claim_timeout_check)
