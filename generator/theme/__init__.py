"""Stage 2, the theme: a theme name in, a chain of theme folders, a Jinja
environment, the theme's static files and its strings out.

``themes`` resolves ``theme.yml``'s ``extends`` into a chain, builds the
autoescaping Jinja environment (with compiled templates kept between builds)
and knows which template each page uses and what it includes
(``TemplateDigests``); ``strings`` loads every word a theme shows, per
language. Nothing here knows about stories.
"""
