"""A Wagtail app of one page type, copied as `newsarticle` into the Wagtail project that
`bench/serve.py` generates with `wagtail start`: the project's story as a Wagtail page."""
