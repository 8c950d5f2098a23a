"""``ssg serve``: a built site in, a local HTTP server with live reload out.

``session`` builds, serves, watches and rebuilds; ``http`` is the static
host (127.0.0.1 by default, only the output folder); ``livereload`` tells open
pages to reload over Server-Sent Events; ``watcher`` reports changed sources.
"""
