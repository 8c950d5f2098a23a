"""Stage 1, configuration: ``site.yml`` in, a typed :class:`~generator.config.site.SiteConfig` out.

``yamlsource`` parses YAML keeping the line and column of every value,
``validate`` checks typed values (and URLs) against it, and ``site`` turns
the whole file into a frozen ``SiteConfig`` with defaults, or a list of
diagnostics, one per wrong key, each with its place in the file.
"""
