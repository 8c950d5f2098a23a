"""Stage 5, output: routes, feeds and files to copy in, a finished output folder out.

``render`` turns a route into HTML through the theme; ``write`` decides for
each output whether it is kept, linked from the last output, copied or
rendered, and writes it (in parallel) into a staging tree; ``staging`` owns
that tree, the safety checks on the output folder and the atomic swap;
``publish`` runs one write stage (staging, writing, the search index, the
swap, the record of what was written); ``search`` runs Pagefind.
"""
