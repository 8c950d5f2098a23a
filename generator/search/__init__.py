"""The search stage: the story pages of a written output tree in, the
search bundle (``/pagefind/``) beside them out.

``pagefind`` runs Pagefind on a folder of pages; ``stage`` shares the story
pages out among slices, has Pagefind index the slices whose pages changed
(the others come from the build cache) and merges every slice's bundle into
one; ``merge`` is that merge, and ``bundle`` reads and writes Pagefind's
files. It runs inside the write stage (``output/publish.py``), on the
staging tree before the swap, so the index is always that of the pages
beside it.
"""
