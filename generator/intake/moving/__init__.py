"""Moving in (``ssg import SITE``): an archive kept with another tool read
into ssg's stories. In: a Hugo site folder, a Jekyll site folder or a
WordPress export (WXR). Each reader (``hugo``, ``jekyll``, ``wordpress``)
turns its posts into :class:`items.Item` records; ``markup`` converts
shortcodes and Liquid tags it knows and keeps the others visibly;
``migrate`` skips originals the archive has, writes the story files with the
old addresses as ``aliases:``, and ``report`` lists what could not be mapped.
Out: story and page files under ``content/``, and a report."""
