"""
WSGI config for newsroom project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
# This process serves requests: their statements get DATABASE_STATEMENT_TIMEOUT_MS (see settings).
os.environ.setdefault("NEWSROOM_SERVING", "true")

application = get_wsgi_application()
