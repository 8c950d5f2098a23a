"""Stage 3, content: the content folder in, an :class:`~generator.content.archive.Archive` out.

``discover`` lists the story and page files in a fixed order;
``frontmatter`` reads and validates each file's YAML front matter into the
records of ``model``; ``markdown`` turns the body into HTML; ``load`` runs
both for every file (in parallel, through the document cache of
``generator.store``) and collects every problem; ``shape`` names what a
document contributes to the archive's structure; ``archive`` (``collect``)
orders the stories and groups them by tag, outlet, year and month.
"""
