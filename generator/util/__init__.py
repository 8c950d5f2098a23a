"""Small shared helpers with no knowledge of the pipeline: slugs, links
(``urls``), XML escaping, digests, and forked worker processes (``parallel``).
"""
