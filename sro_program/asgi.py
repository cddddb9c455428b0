import os

from django.core.asgi import get_asgi_application

from sro_program.settings import configuration_errors_in_one_line

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sro_program.settings.local")
with configuration_errors_in_one_line():
    application = get_asgi_application()
