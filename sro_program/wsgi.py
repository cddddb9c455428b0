import os

from django.core.wsgi import get_wsgi_application

from sro_program.settings import configuration_errors_in_one_line

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sro_program.settings.local")
with configuration_errors_in_one_line():
    application = get_wsgi_application()
