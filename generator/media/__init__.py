"""The media stage: the images stories and pages show.

In: the archive (each story's lead image and the images its body shows,
files beside it) and ``site.yml``'s ``images:``. Out: a :class:`Media`
(``process.py``) that says, for each image, its :class:`~generator.media.picture.Picture`
(the size it shows at and its variants: WebP widths, a JPEG or PNG fallback,
a share card), and the variant files to publish, encoded once into the cache
(``.ssg-cache/images/``), each without any metadata but what ``images.keep_copyright``
keeps. Problems (a missing, corrupt, mislabelled, oversized or hostile
image) are diagnostics at the place the image is named.
"""
