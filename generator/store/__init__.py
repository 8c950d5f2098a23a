"""The build cache in ``.ssg-cache/``: what one build leaves for the next.

``cache`` is the SQLite store (documents, bodies, manifests, state),
``records`` how documents are sealed and pickled into it, ``files`` the
records of what a file holds (known from its size and mtime); ``lock`` makes sure
one build of a site runs at a time. Any stage may read documents through it;
only the build decides what is saved.
"""
