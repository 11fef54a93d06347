"""WSGI entry point for application servers (gunicorn, uWSGI, mod_wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stedenplatform.settings")
application = get_wsgi_application()
