"""The reader's site: pages, lists, search and what each page tells machines about its story."""
