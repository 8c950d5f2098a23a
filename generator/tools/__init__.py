"""The editors' tools: commands that help write the archive, not build it.

``new`` writes a story file with valid front matter (``ssg new``),
``tags`` reports tags, spellings and merges (``ssg tags``), and ``linkcheck``
checks that the originals still answer (``ssg check --links``).
"""
