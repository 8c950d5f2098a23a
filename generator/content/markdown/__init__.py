"""Markdown to HTML for one document: source text in, a ``Rendered`` record
(HTML, assets beside the story, links to other content files, diagnostics) out.

``convert`` is the one render function (markdown-it-py with our rules:
raw HTML off unless allowed, checked links and images); ``plainscan`` and
``linkscan`` are shorter ways through markdown-it for the plain paragraphs and
links that news stories are mostly made of, tested token for token against
stock markdown-it.
"""
