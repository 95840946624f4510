"""The floor of the serving benchmark: the least a Django page costs behind the same gunicorn.

One view (`urls.page`) returns N bytes of HTML from memory; no apps, no middleware, no
database, no templates, no sessions. What the project's pages cost above it is theirs.
"""
