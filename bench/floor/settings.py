"""Settings of the floor: Django's request cycle and nothing else (see `bench/floor/__init__`)."""

import os

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "bench-floor")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1").split(",")
ROOT_URLCONF = "bench.floor.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
TEMPLATES: list = []
USE_TZ = True
WSGI_APPLICATION = "bench.floor.wsgi.application"
