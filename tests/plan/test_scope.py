"""The planner's scope: a full build plans every page; an edit plans the
pages that show a changed story and those its regrouping names
(``tests/incremental/test_regroup.py`` tests the regrouping)."""

from datetime import datetime

from generator.plan.scope import EVERYTHING, Moved, Scope


def test_the_full_build_plans_every_page():
    assert EVERYTHING.full
    assert not EVERYTHING.skip(["/2023/07/a/"])
    assert EVERYTHING.story("/2023/07/a/", ())
    assert not EVERYTHING.dated() and not EVERYTHING.period(2023) and EVERYTHING.terms("tag") == frozenset()


def test_an_edit_plans_only_the_pages_that_show_a_changed_story():
    scope = Scope({"/2023/07/a/"})
    assert not scope.full
    assert scope.skip(["/2023/07/b/", "/2023/07/c/"])
    assert not scope.skip(["/2023/07/b/", "/2023/07/a/"])
    assert scope.story("/2023/07/b/", ("/2023/07/b/", "/2023/07/a/"))  # a neighbour changed
    assert not scope.story("/2023/07/b/", ("/2023/07/b/", "/2023/07/c/"))


def test_a_regrouping_edit_names_terms_stories_and_periods():
    moved = Moved({"tags": frozenset({"ai"}), "sources": frozenset({"variety"})}, frozenset({"/2023/07/b/"}),
                  {"/2023/07/a/": datetime(2023, 7, 26)}, dated=True, periods=frozenset({(2023, None), (2023, 7)}))
    scope = Scope({"/2023/07/a/"}, moved)
    assert scope.terms("tag") == {"ai"} and scope.terms("source") == {"variety"}
    assert scope.story("/2023/07/b/", ("/2023/07/b/",))  # its related stories changed
    assert scope.dated()
    assert scope.period(2023) and scope.period(2023, 7) and not scope.period(2023, 8)
