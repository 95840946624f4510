"""Partner channels: RSS and Atom feeds, sitemaps, and the ninjs API."""
