"""The floor's WSGI application: `gunicorn bench.floor.wsgi`, from the project's folder."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.floor.settings")

application = get_wsgi_application()
