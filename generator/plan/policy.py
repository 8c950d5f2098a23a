"""The pages' security policy: what a browser may load and run on them.

ssg's own output runs two scripts of its own (search, on the search page,
and the copy-link button of a story's page), both files of the theme, and
needs nothing else from anywhere, so every page gets a strict
Content-Security-Policy as a ``<meta http-equiv>``: a mistake in escaping
then gives a blocked script, not a cross-site script. The headers a
``<meta>`` cannot set (``frame-ancestors``, HSTS, ``nosniff``) go to an
optional ``_headers`` file for the hosts that read one (Netlify, Cloudflare
Pages). See docs/security.md.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from generator.config.site import SiteConfig

REFERRER = "strict-origin-when-cross-origin"  # outlets see that a reader came from the archive, not from which page


def content_policy(config: SiteConfig, search_page: bool = False) -> str:
    """The policy of a page; ``search_page``: one that runs Pagefind (its WebAssembly)."""
    images = "'self' data:" + (" https:" if config.images.allow_remote else "")
    scripts = "'self' 'wasm-unsafe-eval'" if search_page else "'self'"
    return (f"default-src 'self'; script-src {scripts}; style-src 'self'; img-src {images}; "
            "object-src 'none'; base-uri 'self'; form-action 'self'")  # fmt: skip


def headers_file(config: SiteConfig) -> bytes:
    """``_headers``: what hosts that read it send with every file."""
    lines = [
        "# Written by ssg (headers: true in site.yml); see docs/security.md.",
        "/*",
        "  Content-Security-Policy: frame-ancestors 'self'",
        "  X-Frame-Options: SAMEORIGIN",
        "  X-Content-Type-Options: nosniff",
        f"  Referrer-Policy: {REFERRER}",
    ]
    if urlsplit(config.base_url).scheme == "https":
        lines.append("  Strict-Transport-Security: max-age=31536000")
    return ("\n".join(lines) + "\n").encode("utf-8")
