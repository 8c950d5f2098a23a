"""Stage 4, the plan: the archive in, one :class:`~generator.plan.routes.Route` per output page out.

``routes`` plans every page (URL, templates, a key of what it shows, and a
function that builds its template context) within its ``scope`` (every
page, or those an edit reaches); ``head`` makes each page's
``meta``; ``dates`` plans the date archives; ``views`` are the small records
templates see; ``pagination`` splits lists; ``related`` ranks related
stories; ``feeds`` and ``sitemaps`` make the feeds and the machine files;
``structured`` the JSON-LD; ``charts`` and ``datecharts`` the bar charts.
Planning renders nothing: URL collisions are reported before any work.
"""
