"""The build cache in ``.ssg-cache/``: what one build leaves for the next.

``cache`` is the SQLite store (documents, bodies, manifests, state) and
``records`` how documents are sealed and pickled into it; ``lock`` makes sure
one build of a site runs at a time. Any stage may read documents through it;
only the build decides what is saved.
"""
