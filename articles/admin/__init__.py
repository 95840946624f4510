"""The desk: the admin of sources and licences, articles and their workflow, and the audit log.

Importing the modules registers their ModelAdmins when Django autodiscovers `articles.admin`.
"""

from articles.admin import articles, audit, sources  # noqa: F401
