"""Front matter of the plainest form read without libyaml (generator/config/yamlplain.py) gives the
very tree libyaml's reading gives (generator/config/yamlsource.py), or nothing."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.config.yamlplain import plain_document
from generator.config.yamlsource import parse_yaml
from generator.content.frontmatter import split

REPO = Path(__file__).resolve().parents[2]

# values that YAML reads otherwise than as words, or that libyaml does not accept, beside plain ones
VALUES = [
    "The Daily Wire Service", "Strike: day 3", "a:b", "https://example.org/a?b=c#d", "a #b", "a#b", "It's here",
    "x:", "Café au lait", "日本語", "\u00a0nbsp", "nbsp\u00a0", "a  b", "true", "Yes", "off", "ON", "no", "null",
    "Null", "~", "12", "-3", "1.5", "1e3", ".inf", "0x1F", "0o17", "1_000", "1:20", "12:30:00", "2023-07-26",
    "2023-7-6", "2023-07-26T09:30:00", "2023-07-26 09:30:00", "2023-07-26T09:30:00+02:00", "2023-07-26 x",
    '"quoted: yes"', '"with \\" escape"', "'single'", "'it''s'", '""', "''", "[a, b]", "[Film, Noryar Vervi]",
    "[a, 'b, c']", '["a", b]', "[]", "[ ]", "[a,]", "[yes, 12]", "[a: b]", "[a #b]", "[O'Brien]", "[a, [b]]",
    "{a: b}", "&anchor x", "*alias", "!tag x", "|", ">", "-x", "- x", "%x", "@x", "`x`", "?x", "a ?b", "=",
    "<<", "a\tb", "a\u0085b", "a\u2028b", "a\x7fb", "\ufeffx", "x ", "", "'unclosed", '"unclosed',
]  # fmt: skip
KEYS = ["title", "date", "source", "tags", "name", "url", "image", "alt", "x-y", "_k", "slug", "summary"]
ODD_KEYS = ["yes", "on", "Null", "12", "a b", "a.b", "title"]  # read otherwise, not keys this module reads, twice
PLAIN = st.builds(lambda first, rest: (first + rest).rstrip(), st.sampled_from("aXé日1"),
                  st.text(st.sampled_from("abcdefXYZ  é日.,-'/?!()%:#"), max_size=14))  # fmt: skip
SCALARS = st.one_of(*[PLAIN] * 7, st.sampled_from(VALUES))


@st.composite
def documents(draw) -> str:
    """Front matter of the forms the plain reading takes; in half of them, now and then something it must
    leave to libyaml (an odd key or value, a colon without a space, a line of another form)."""
    odd = draw(st.booleans())
    keys = st.one_of(*[st.sampled_from(KEYS)] * 5, st.sampled_from(ODD_KEYS)) if odd else st.sampled_from(KEYS)
    scalars = st.one_of(*[PLAIN] * 4, st.sampled_from(VALUES)) if odd else PLAIN
    forms = ["value"] * 8 + ["map"] * 3 + ["list"] * 3 + (["empty", "more"] if odd else [])
    lines = []
    used = set()
    for _ in range(draw(st.integers(0, 5))):
        key = draw(keys)
        if key in used and not odd:  # (a key twice only with the odd things)
            continue
        used.add(key)
        colon = ":" + draw(st.sampled_from([" "] * 8 + (["  ", ""] if odd else ["  "])))
        form = draw(st.sampled_from(forms))
        if form == "value":
            lines.append(key + colon + draw(scalars))
        elif form == "empty":
            lines.append(key + ":" + draw(st.sampled_from(["", " "])))
        elif form == "more":  # a value that goes on in the next line, or a comment
            lines += [f"{key}: {draw(scalars)}", draw(st.sampled_from(["  more words", "# a comment", "\t- x"]))]
        else:
            lines.append(key + ":")
            indent = " " * draw(st.sampled_from([0, 1, 2, 2, 2, 4]))
            inner = draw(st.lists(keys, min_size=1, max_size=3, unique=not odd))
            for name in inner:
                if form == "list":
                    lines.append(indent + "- " + draw(scalars))
                else:
                    lines.append(indent + name + colon + draw(scalars))
            if odd and draw(st.integers(0, 3)) == 0:
                lines.append(draw(st.sampled_from(["  a: b", "    deeper: x", "- item", "  - item", "   x: y"])))
        if draw(st.integers(0, 7)) == 0:
            lines.append(draw(st.sampled_from(["", "", " ", "---", "..."] if odd else [""])))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


def _tree(node):
    """Everything a node holds, nested, to compare two trees."""
    if node is None:
        return None
    items = [(key, _tree(k), _tree(v)) for key, (k, v) in node.items.items()]
    return node.kind, node.tag, node.line, node.col, node.value, type(node.value).__name__, items, [
        _tree(child) for child in node.children]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(text=documents(), offset=st.integers(0, 3))
def test_the_plain_reading_is_libyaml_s_or_none(text, offset):
    plain = plain_document(text, offset)
    if plain is not None:
        tree, problems = parse_yaml(text, offset)
        assert problems == [], text
        assert _tree(plain) == _tree(tree), text


def test_every_sample_story_and_the_typical_forms_are_read_the_plain_way():
    stories = sorted((REPO / "content").rglob("*.md"))
    read = 0
    for path in stories:
        text, line, _, _ = split(path.read_bytes(), path.name)
        plain = plain_document(text, line - 1)
        if plain is not None:
            read += 1
            assert _tree(plain) == _tree(parse_yaml(text, line - 1)[0]), path
    assert stories and read >= len(stories) * 0.9, (read, len(stories))
    typical = ('title: "Studio posts an AI job"\ndate: 2023-07-26T09:30:00\nsource:\n  name: The Example Times\n'
               "  url: https://www.example.com/story/\ntags:\n  - Strikes\n  - AI\nimage:\n  src: photo.jpg\n"
               "  alt: 'A picket line'\n  focus: 50% 30%\ndraft: false\nsummary: It's a job ad.\n")  # fmt: skip
    plain = plain_document(typical, 1)
    assert plain is not None and _tree(plain) == _tree(parse_yaml(typical, 1)[0])
    assert plain.get("draft").value is False and [c.value for c in plain.get("tags").children] == ["Strikes", "AI"]


def test_the_character_sets_are_what_they_say_for_every_code_point():
    """The sets are written as what they leave out (quicker to compile): checked against what they mean."""
    from generator.config import yamlplain

    printable = ((0x0A, 0x0A), (0x20, 0x7E), (0xA0, 0xD7FF), (0xE000, 0xFEFE), (0xFF00, 0xFFFD), (0x10000, 0x10FFFF))
    for code in range(0x110000):
        char = chr(code)
        word_start = char.isascii() and char.isalnum() or code >= 0x80
        assert bool(yamlplain._FIRST.match(char)) == word_start, hex(code)
        plain_word = char.isascii() and char.isalpha() or code >= 0x80 or char == " "  # (spaces before are skipped)
        assert bool(yamlplain._FLOW_ITEM.match(char + "x")) == plain_word, hex(code)
        unsure = not any(low <= code <= high for low, high in printable) or char in "\u2028\u2029"
        assert bool(yamlplain._UNSURE.search(char)) == unsure, hex(code)
