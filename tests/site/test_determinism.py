"""Same input, byte-identical output: whatever the hash seed or file order."""

import random
import shutil

from conftest import REPO, Site, tree_hashes


def _copy_shuffled(src, dst, seed):
    """Copy a site creating its files in a shuffled order (so directory
    listing order differs), with a fresh folder tree."""
    files = [p for p in src.rglob("*") if p.is_file() and "public" not in p.relative_to(src).parts]
    random.Random(seed).shuffle(files)
    for path in files:
        target = dst / path.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def test_identical_trees_across_hash_seeds_and_file_order(tmp_path):
    trees = []
    for seed, hash_seed in ((1, "1"), (2, "12345")):
        root = tmp_path / f"site{seed}"
        _copy_shuffled(REPO / "content", root / "content", seed)
        shutil.copyfile(REPO / "site.yml", root / "site.yml")
        site = Site(root)
        result = site.ssg_process("build", env={"PYTHONHASHSEED": hash_seed, "SOURCE_DATE_EPOCH": "1767225600"})
        assert result.code == 0, result.err
        trees.append(tree_hashes(site.public))
    # Pagefind's filter and metadata files vary from run to run (upstream
    # Pagefind issue 638); everything ssg itself writes must not.
    ours = [{k: v for k, v in tree.items() if not k.startswith("pagefind/")} for tree in trees]
    assert len(ours[0]) > 50 and any(k.startswith("pagefind/") for k in trees[0])
    assert ours[0] == ours[1]


def test_source_date_epoch_sets_now_for_embargo(site):
    site.write("content/articles/past.md", "---\ntitle: Past\ndate: 2023-01-01\nsource: https://a.example/1\n---\nx\n")
    site.write("content/articles/soon.md", "---\ntitle: Soon\ndate: 2030-01-01\nsource: https://a.example/2\n---\nx\n")
    site.write("content/articles/draft.md",
               "---\ntitle: Draft\ndate: 2023-01-02\nsource: https://a.example/3\ndraft: true\n---\nx\n")  # fmt: skip
    epoch_2029 = {"SOURCE_DATE_EPOCH": "1861920000"}
    epoch_2031 = {"SOURCE_DATE_EPOCH": "1924992000"}

    assert site.ssg("build", env=epoch_2029).code == 0
    assert (site.public / "2023/01/past/index.html").exists()
    assert not (site.public / "2030").exists()
    assert not (site.public / "2023/01/draft").exists()
    assert "1 story" in site.read("public/index.html")

    assert site.ssg("build", "--future", "--drafts", env=epoch_2029).code == 0
    assert (site.public / "2030/01/soon/index.html").exists()
    assert (site.public / "2023/01/draft/index.html").exists()

    assert site.ssg("build", env=epoch_2031).code == 0
    assert (site.public / "2030/01/soon/index.html").exists()

    result = site.ssg("build", env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert result.code == 2 and "SOURCE_DATE_EPOCH" in result.err


def test_drafts_are_still_validated(site):
    text = "---\ntitle: D\ndate: 2023-13-01\nsource: https://a.example/\ndraft: true\n---\n"
    site.write("content/articles/d.md", text)
    result = site.ssg("build")
    assert result.code == 1
    assert "d.md:3:7: error: date: invalid date '2023-13-01': month must be in 1..12" in result.err
