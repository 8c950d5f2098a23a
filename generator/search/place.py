"""The search folder of an output tree brought up to date in place.

A build after an edit writes into the spare output tree, whose search folder
holds the bundle of the build before last: ten thousand fragments and a
thousand index chunks at 10,000 stories, nearly all of them the very files
(hard links to the same stored file) this build's bundle is made of.
Clearing the folder and linking every file again cost an edit 0.3 s. Here a
file already in place is kept when it is the same file (same device and
inode) as the one that goes there; any other is removed first and placed
anew (a file of the tree may be a hard link shared with the live output, so
nothing is ever written into one), and what the new bundle does not have is
removed at the end.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from generator.util.links import link

PARTS = ("index", "filter", "fragment")  # the bundle's subfolders; anything else in it is removed


class Placing:
    def __init__(self, out: Path):
        self.out = str(out)
        self.found: dict[str, int] = {}  # a file already there (its path under ``out``) -> its inode
        self.placed = 0  # files placed anew (not kept as they were), and removed by ``finish``
        os.makedirs(self.out, exist_ok=True)
        self.device = os.stat(self.out).st_dev
        self._scan("")
        for part in PARTS:
            if self.found.pop(part, None) is not None:  # a file where the bundle has a folder
                os.unlink(os.path.join(self.out, part))
            os.makedirs(os.path.join(self.out, part), exist_ok=True)
            self._scan(part)
        self._sources: dict[str, dict[str, int] | None] = {}

    def _scan(self, part: str) -> None:
        """Note the files of ``part``; a folder a bundle does not have is removed at once."""
        with os.scandir(os.path.join(self.out, part)) as entries:
            for entry in entries:
                rel = f"{part}/{entry.name}" if part else entry.name
                if not entry.is_dir(follow_symlinks=False):
                    self.found[rel] = entry.inode()
                elif part or entry.name not in PARTS:
                    shutil.rmtree(entry.path)

    def link(self, source: str, rel: str) -> None:
        """``source`` at ``rel`` (``part/name``), kept if it is there already."""
        inode = self.found.pop(rel, None)
        target = os.path.join(self.out, rel)
        if inode is not None:
            if inode == self._inode(source):
                return
            os.unlink(target)
        link(source, target)
        self.placed += 1

    def link_all(self, folder: str, files: list[tuple[str, str]]) -> None:
        """Each ``(name, rel)``: the file ``name`` of ``folder`` at ``rel``, kept if it is there already
        (as ``link`` does, with one listing of ``folder`` and no call a file: 10,000 fragments a merge)."""
        known = self._listing(folder) or {}
        found = self.found
        for name, rel in files:
            inode = found.pop(rel, None)
            if inode is not None:
                if inode == known.get(name):
                    continue
                os.unlink(os.path.join(self.out, rel))
            link(os.path.join(folder, name), os.path.join(self.out, rel))
            self.placed += 1

    def write(self, rel: str, data: bytes) -> None:
        """A new file of ``data`` at ``rel``; whatever was there is removed first."""
        if self.found.pop(rel, None) is not None:
            os.unlink(os.path.join(self.out, rel))
        with open(os.path.join(self.out, rel), "xb") as stream:
            stream.write(data)
        self.placed += 1

    def finish(self) -> None:
        """Remove what the new bundle does not have."""
        for rel in self.found:
            os.unlink(os.path.join(self.out, rel))
        self.placed += len(self.found)
        self.found.clear()

    def _inode(self, source: str) -> int | None:
        """The inode of ``source`` when it is on this tree's device (from one listing of its folder)."""
        folder, name = os.path.split(source)
        known = self._listing(folder)
        return None if known is None else known.get(name)

    def _listing(self, folder: str) -> dict[str, int] | None:
        """The inode of each file of ``folder`` by name (None when it is on another device)."""
        known = self._sources.get(folder, False)
        if known is False:
            known = None
            if os.stat(folder).st_dev == self.device:
                with os.scandir(folder) as entries:
                    known = {entry.name: entry.inode() for entry in entries}
            self._sources[folder] = known
        return known
