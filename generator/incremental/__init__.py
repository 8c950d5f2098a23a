"""The incremental layer: what lets a build do less than the whole pipeline.
The plain stages never import it; ``generator/build.py`` calls it through
the three hooks of ``hooks.Layer`` (the no-change answer, the quick build, the snapshot saved at
the end).

``nochange`` answers "is the last output still right?" from file records;
``snapshot`` is what a build leaves for the next one; ``quick`` finds out
whether an edit can take the quick way and builds the archive from the
snapshot (``lazy``: stories read from the cache only when shown);
``regroup`` brings the snapshot's order, lists and date archives up to date
when stories come, go or move; ``quickbuild`` plans, renders and publishes
only what the edit reaches; ``spare`` keeps the output before last as a
tree to update in place.
"""
