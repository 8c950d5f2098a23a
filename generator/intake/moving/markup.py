"""A post's body as ssg's Markdown: Hugo shortcodes, Jekyll's Liquid tags and
WordPress shortcodes that have a Markdown equivalent are converted (a code
block, a figure, a link to a video or to another imported post); every other
one is kept in the text as code, so that it shows on the page, and listed.
WordPress's HTML becomes Markdown text by ``generator/intake/text.py``: no
script, handler or ``javascript:`` link survives."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from generator.intake.moving.items import Item
from generator.intake.text import Whole, code_span, fenced, markdown_text

# a link's destination in Markdown: inline ``](dest)`` and a reference's ``[x]: dest``
_LINK = re.compile(r"(\]\(\s*<?)([^)\s>]+)|^(\s{0,3}\[[^\]\n]+\]:\s*<?)([^\s>]+)", re.MULTILINE)
_PARAM = re.compile(r'(?:([\w-]+)=)?(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`|\'([^\']*)\'|([^\s"\'`]+))')
_HUGO = re.compile(r"\{\{([<%])(/\*)?\s*(/?)\s*([\w./-]+)(.*?)(\*/)?\s*[>%]\}\}", re.DOTALL)
_HUGO_CODE = re.compile(r"\{\{[<%]\s*highlight\s+([\w+#.-]+)[^>%]*[>%]\}\}\n?(.*?)\n?\{\{[<%]\s*/highlight\s*[>%]\}\}",
                        re.DOTALL)  # fmt: skip
_LIQUID_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.DOTALL)
_LIQUID_CODE = re.compile(r"\{%-?\s*highlight\s+([\w+#.-]+)[^%]*%\}\n?(.*?)\n?\{%-?\s*endhighlight\s*-?%\}", re.DOTALL)
_LIQUID = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}|\{\{-?(.*?)-?\}\}", re.DOTALL)
_SITE_URL = re.compile(r"^\s*site\.(?:url|baseurl)\s*$")
_RELATIVE_URL = re.compile(r"""^\s*(['"])([^'"]*)\1\s*\|\s*(?:relative_url|absolute_url)\s*$""")
_WP_PAIRED = re.compile(r"\[(caption|wp_caption|embed)([^\]]*)\](.*?)\[/\1\]", re.DOTALL)
_WP_SHORTCODE = re.compile(r"\[(/?)([a-z][\w-]*)((?:\s+[^\]]*)?)\]")
WP_KNOWN = {"gallery", "audio", "video", "playlist", "embed", "caption", "wp_caption", "contact-form-7",
            "contact-form", "youtube", "vimeo", "tweet", "soundcloud", "instagram", "googlemaps", "latex", "code",
            "sourcecode", "spotify", "portfolio", "recipe", "polldaddy", "slideshare"}  # fmt: skip
LABELS = {"youtube": "Video on YouTube", "vimeo": "Video on Vimeo", "instagram": "Post on Instagram"}
_PROTECTED = "\uffff{}\uffff"


@dataclass
class Converted:
    text: str
    kept: list[str] = field(default_factory=list)  # shortcodes and tags kept as text
    images: list[str] = field(default_factory=list)  # remote images the text shows (as links), to save
    notes: list[str] = field(default_factory=list)


def convert(item: Item, resolve: Callable[[str], str | None]) -> Converted:
    """``item.body`` as Markdown; ``resolve(key)`` is the link to the imported post another post names
    (a Hugo ``ref``, a Jekyll ``post_url``), None when it was not imported."""
    if item.markup == "hugo":
        return _hugo(item.body, resolve)
    if item.markup == "liquid":
        return _liquid(item.body, resolve)
    if item.markup == "html":
        return _html(item.body, item.old_url)
    return Converted(item.body)


def relink(text: str, target: Callable[[str], str | None]) -> str:
    """Every link's destination that ``target`` knows (an old address of an imported post) replaced."""

    def swap(match: re.Match) -> str:
        lead, dest = (match[1], match[2]) if match[1] is not None else (match[3], match[4])
        found = target(dest)
        return lead + (found if found is not None else dest)

    return _LINK.sub(swap, text)


def params(text: str) -> tuple[list[str], dict[str, str]]:
    """A shortcode's positional and named parameters."""
    positional, named = [], {}
    for match in _PARAM.finditer(text):
        value = next((g for g in match.groups()[1:] if g is not None), "")
        if match[1]:
            named[match[1].lower()] = value
        else:
            positional.append(value)
    return positional, named


def _protect(text: str, pattern: re.Pattern, make: Callable[[re.Match], str], store: list[str]) -> str:
    """Each match replaced by a marker of ``make(match)``, put back by :func:`_restore` (so that later
    steps leave it alone)."""

    def mark(match: re.Match) -> str:
        store.append(make(match))
        return _PROTECTED.format(len(store) - 1)

    return pattern.sub(mark, text)


def _restore(text: str, store: list[str]) -> str:
    return re.sub("\uffff(\\d+)\uffff", lambda m: store[int(m[1])], text)


def _hugo(text: str, resolve: Callable[[str], str | None]) -> Converted:
    out = Converted("")
    store: list[str] = []
    text = _protect(text, _HUGO_CODE, lambda m: fenced(m[1], m[2]), store)

    def one(match: re.Match) -> str:
        whole = match[0]
        if match[2]:  # {{</* x */>}}: Hugo's way of writing a shortcode as text
            return code_span(re.sub(r"([<%])/\*|\*/([>%])", r"\1\2", whole))
        name, closing = match[4].lower(), match[3]
        positional, named = params(match[5])
        first = positional[0] if positional else ""
        if not closing and (made := _hugo_known(name, first, positional, named, resolve, out)) is not None:
            return made
        out.kept.append(" ".join(whole.split()))
        return code_span(whole)

    out.text = _restore(_HUGO.sub(one, text), store)
    return out


def _hugo_known(name, first, positional, named, resolve, out: Converted) -> str | None:
    if name == "figure" and named.get("src"):
        src, alt = named["src"], named.get("alt") or named.get("title") or named.get("caption") or ""
        if src.startswith(("http://", "https://")):
            out.images.append(src)
            made = f"[Image: {alt}]({src})" if alt else f"[Image]({src})"
        else:
            made = f"![{alt}]({src.lstrip('/')})"
        caption = named.get("caption") or named.get("title")
        return made + (f"\n\n*{caption}*" if caption and caption != alt else "")
    video = named.get("id") or first
    links = {"youtube": "https://www.youtube.com/watch?v={}", "vimeo": "https://vimeo.com/{}",
             "instagram": "https://www.instagram.com/p/{}/"}  # fmt: skip
    if name in links and re.fullmatch(r"[\w-]+", video or ""):
        return f"[{LABELS[name]}: {video}]({links[name].format(video)})"
    if name in ("tweet", "x"):
        user, status = named.get("user") or (positional[0] if len(positional) > 1 else ""), named.get("id") or (
            positional[-1] if positional else "")
        if re.fullmatch(r"\w+", user or "") and status.isdigit():
            return f"[Post by @{user}](https://x.com/{user}/status/{status})"
    if name == "gist" and len(positional) >= 2:
        return f"[Gist {positional[1]}](https://gist.github.com/{positional[0]}/{positional[1]})"
    if name in ("ref", "relref") and first:
        found = resolve(first.split("#")[0])
        if found is not None:
            return found + ("#" + first.split("#", 1)[1] if "#" in first else "")
    return None


def _liquid(text: str, resolve: Callable[[str], str | None]) -> Converted:
    out = Converted("")
    store: list[str] = []
    text = _protect(text, _LIQUID_RAW, lambda m: m[1], store)
    text = _protect(text, _LIQUID_CODE, lambda m: fenced(m[1], m[2]), store)

    def one(match: re.Match) -> str:
        whole = match[0]
        if match[3] is not None:  # {{ ... }}
            expression = match[3]
            if _SITE_URL.match(expression):
                return ""  # the old site's own address: links become paths of the site
            if found := _RELATIVE_URL.match(expression):
                return found[2]
        else:
            name, argument = match[1].lower(), match[2].strip()
            if name in ("post_url", "link") and argument:
                found = resolve(f"{name}:{argument}")
                if found is not None:
                    return found
        out.kept.append(" ".join(whole.split()))
        return code_span(whole)

    out.text = _restore(_LIQUID.sub(one, text), store)
    return out


def _html(text: str, base: str) -> Converted:
    out = Converted("")

    def paired(match: re.Match) -> str:
        if match[1] == "embed":
            url = html.escape(match[3].strip())
            return f'<p><a href="{url}">{url}</a></p>'
        return f"<figure>{match[3]}</figure>"  # a caption: its image, then its text

    def other(match: re.Match) -> str:
        if match[2] not in WP_KNOWN and "=" not in match[3]:
            return match[0]  # [sic], [1]: text in brackets
        out.kept.append(" ".join(match[0].split()))
        return f"<code>{html.escape(match[0])}</code>"

    text = _WP_SHORTCODE.sub(other, _WP_PAIRED.sub(paired, text))
    whole = Whole()
    out.text = markdown_text(autop(text), base=base, whole=whole)
    out.images = whole.images
    out.notes += [f"embedded {url} became a link" for url in whole.embeds]
    out.notes += [f"{count} <{tag}> removed" for tag, count in sorted(whole.dropped.items())]
    return out


_BLOCK_START = re.compile(r"^\s*<(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|figure|hr|section|!--)\b", re.I)


def autop(text: str) -> str:
    """WordPress's classic editor keeps paragraphs as blank lines, not ``<p>``: made into paragraphs
    (and lone line breaks into ``<br>``) where a chunk is not already a block."""
    chunks = re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
    made = []
    for chunk in chunks:
        if not chunk.strip():
            continue
        made.append(chunk if _BLOCK_START.match(chunk) else "<p>" + chunk.strip().replace("\n", "<br>\n") + "</p>")
    return "\n".join(made)
