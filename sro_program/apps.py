from django.apps import AppConfig


class SroProgramConfig(AppConfig):
    name = "sro_program"
    verbose_name = "SRO Program"

    def ready(self) -> None:
        from . import sessions  # noqa: F401  (connects the sign-in time's receiver)
